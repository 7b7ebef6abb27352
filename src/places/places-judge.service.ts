import type { ExistingIdentity } from './places.repository.ts';
import type { ImportIssue } from './places.ts';
import type { AcceptedEntry } from './places-duplicates.ts';
import { comparePlaces, distanceMeters, matchKey } from './places-match.ts';

/**
 * An import's rows against the stored records of the same identity (source, id): new, changed, the
 * same, older than stored — or another place under a reused id, refused.
 */

const MESSAGES = {
  changedWithoutNewDate: (date: string | null) =>
    `Lieu modifié sans nouvelle date de mise à jour (date_maj ${date ?? 'absente'}) : modifié sans nouvelle date, les nouvelles valeurs sont enregistrées.`,
  olderThanStored: (date: string | null, stored: string) =>
    `Ce lieu est déjà enregistré avec une date de mise à jour plus récente (${stored}) que celle du fichier (${date ?? 'absente'}) : la version enregistrée est gardée.`,
} as const;

type Judgement = 'insert' | 'update' | 'unchanged' | 'older';

/** Farther than this from the stored place, with another name, a row is another place under a reused id. */
const REUSED_ID_METRES = 5_000;

/**
 * Why a changed row cannot be the stored place of its identity, or null: both positions their own (not a
 * commune's point), more than 5 km apart, and names with little in common — a source that gave a place's
 * id to another place. A place that moved keeps its name; a renamed one stays where it was.
 */
function reusedIdProblem(entry: AcceptedEntry, stored: ExistingIdentity): string | null {
  const p = entry.place;
  if (p.positionApproximate || stored.position_approximate) return null;
  if (p.latitude === null || p.longitude === null || stored.latitude === null || stored.longitude === null)
    return null;
  const metres = distanceMeters(p.latitude, p.longitude, stored.latitude, stored.longitude);
  if (metres <= REUSED_ID_METRES) return null;
  const names = matchKey({ nom: p.nom, adresse: '', latitude: null, longitude: null });
  const storedNames = matchKey({ nom: stored.nom, adresse: '', latitude: null, longitude: null });
  if (comparePlaces(names, storedNames).nameSimilarity >= 0.5) return null;
  const km = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(metres / 1000);
  return `L'identifiant « ${p.sourceId} » désigne déjà un autre lieu : « ${stored.nom} » (${stored.commune}), à ${km} km de « ${p.nom} » (${p.commune}) que décrit cette ligne. Ligne refusée : une source ne doit pas donner l'identifiant d'un lieu à un autre. Si c'est bien le même lieu, corrigez son nom ou sa position ; sinon, donnez-lui un nouvel identifiant.`;
}

/**
 * What a row does to the stored record of the same identity: identical → nothing;
 * changed with a newer date → update; changed with the same date (or none) → update, warned; changed
 * with an older date than the stored one → the stored one is kept, warned.
 */
function judge(
  entry: AcceptedEntry,
  stored: ExistingIdentity | undefined,
  warn: (message: string) => void,
): Judgement {
  if (!stored) return 'insert';
  if (stored.content_hash === entry.hash) return 'unchanged';
  const incoming = entry.place.dateMaj;
  if (stored.date_maj !== null && (incoming === null || incoming < stored.date_maj)) {
    warn(MESSAGES.olderThanStored(incoming, stored.date_maj));
    return 'older';
  }
  if (incoming === stored.date_maj) warn(MESSAGES.changedWithoutNewDate(incoming));
  return 'update';
}

/**
 * Judges each row of a batch against the stored record of the same identity (counts and date warnings
 * updated): the rows to write, the stored id each overwrites (null for a new place), and those ids.
 */
export function judgeBatch(
  batch: AcceptedEntry[],
  existing: ExistingIdentity[],
  /** The import's counts (ImportCounts) this step adds to. */
  counts: { imported: number; updated: number; unchanged: number; rejected: number },
  dateWarnings: ImportIssue[],
  errors: ImportIssue[],
): { changedEntries: AcceptedEntry[]; storedIds: (string | null)[]; overwrittenNow: string[] } {
  const known = new Map(existing.map((e) => [`${e.source}\u0000${e.source_id}`, e]));
  const changedEntries: AcceptedEntry[] = [];
  const storedIds: (string | null)[] = [];
  const overwrittenNow: string[] = [];
  for (const entry of batch) {
    const stored = known.get(`${entry.source}\u0000${entry.place.sourceId}`);
    const reused = stored && stored.content_hash !== entry.hash ? reusedIdProblem(entry, stored) : null;
    if (reused !== null) {
      errors.push({
        row: entry.row,
        id: entry.place.sourceId,
        field: 'id',
        value: entry.place.sourceId,
        message: reused,
      });
      counts.rejected++;
      continue;
    }
    const judgement = judge(entry, stored, (message) =>
      dateWarnings.push({
        row: entry.row,
        id: entry.place.sourceId,
        field: 'date_maj',
        value: entry.place.dateMaj,
        message,
      }),
    );
    if (judgement === 'unchanged' || judgement === 'older') {
      counts.unchanged++;
      continue;
    }
    if (judgement === 'insert') counts.imported++;
    else {
      counts.updated++;
      if (stored) overwrittenNow.push(stored.id);
    }
    changedEntries.push(entry);
    storedIds.push(judgement === 'update' && stored ? stored.id : null);
  }
  return { changedEntries, storedIds, overwrittenNow };
}
