import type { TerritoryShape } from '../communes/territory-shape.ts';
import { producerId } from '../publication/data-inclusion.ts';
import type { ImportIssue } from './places.ts';
import type { AcceptedEntry } from './places-duplicates.ts';
import type { ParsedRecord } from './places-file.ts';

/**
 * What an import does differently with a national system's file (docs/decisions/0055): the network's own
 * places coming back are recognised and left alone, and places beyond the territory and its margin are
 * skipped. Pure: the stored facts come through `lookup` (places-import.service.ts gives the repository's).
 */

/**
 * The rows of a national system's file that are the network's own places coming back (decision 0055):
 * data·inclusion records of the network's producer id whose place is stored, and rows of a source the
 * network holds (places stored under it, never marked national). They are left as they are.
 */
export async function recogniseOwn(
  lookup: {
    /** Among these sources, those the network holds (places stored, not marked national). */
    localSources(sources: string[]): Promise<Set<string>>;
    /** Among these source ids, those stored. */
    storedIds(ids: string[]): Promise<Set<string>>;
  },
  records: ParsedRecord[],
  sourceOf: (record: ParsedRecord) => string,
  networkName: string | undefined,
): Promise<{
  kept: ParsedRecord[];
  recognised: ParsedRecord[];
  nationalSources: string[];
  warnings: ImportIssue[];
}> {
  const own = networkName === undefined ? null : producerId(networkName);
  const sources = [...new Set(records.map(sourceOf))];
  const local = await lookup.localSources(sources.filter((source) => source !== own));
  const ownIds = records
    .filter((record) => own !== null && sourceOf(record) === own)
    .map((record) => exportIdOf(String(record.data.id ?? ''), own as string));
  const stored = await lookup.storedIds(ownIds);
  const kept: ParsedRecord[] = [];
  const recognised: ParsedRecord[] = [];
  const warnings: ImportIssue[] = [];
  for (const record of records) {
    const source = sourceOf(record);
    if (local.has(source)) recognised.push(record);
    else if (own !== null && source === own) {
      recognised.push(record);
      const id = String(record.data.id ?? '');
      if (!stored.has(exportIdOf(id, own)))
        warnings.push({
          row: record.row,
          id,
          field: 'id',
          value: id,
          message: `Ce lieu est publié au nom du réseau (source ${own}) mais n'est plus dans l'annuaire : il n'est pas réimporté.`,
        });
    } else kept.push(record);
  }
  const nationalSources = [...new Set(kept.map(sourceOf))];
  return { kept, recognised, nationalSources, warnings };
}

/** The place's id in the national file from a data·inclusion id `source--id` (source:id when repeated). */
function exportIdOf(id: string, source: string): string {
  const rest = id.startsWith(`${source}--`) ? id.slice(source.length + 2) : id;
  const colon = rest.indexOf(':');
  return colon > 0 ? rest.slice(colon + 1) : rest;
}

/** The entries within the territory or its margin; the others counted and named, not imported. */
export function skipOutside(
  shape: TerritoryShape,
  batch: AcceptedEntry[],
  counts: { outsideSkipped: number },
  issues: ImportIssue[],
): AcceptedEntry[] {
  if (shape.whole) return batch;
  const kept: AcceptedEntry[] = [];
  for (const entry of batch) {
    const place = entry.place;
    if (shape.keeps(place)) {
      kept.push(entry);
      continue;
    }
    counts.outsideSkipped++;
    const at = shape.placement(place);
    const commune = `${place.commune} (${place.codeInsee ?? place.codePostal})`;
    const km = at.inside ? null : at.km;
    issues.push({
      row: entry.row,
      id: place.sourceId,
      field: 'commune',
      value: commune,
      message: `Lieu hors du territoire (${shape.label}) : ${commune} ${km === null ? 'est à une distance inconnue de sa limite' : `est à environ ${Math.round(km)} km de sa limite, plus que les ${shape.marginKm} km admis`}. Il vient d'un système national : il n'est pas importé.`,
      source: entry.source,
    });
  }
  return kept;
}
