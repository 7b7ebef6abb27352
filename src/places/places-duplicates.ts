import type { ImportIssue, PlaceData } from './places.ts';
import {
  compareIfMayMatch,
  type MatchCandidateRow,
  type MatchInput,
  type MatchKey,
  matchKey,
} from './places-match.ts';

/**
 * The duplicate pass of an import, pure: each place the import wrote compared with the places of its
 * commune (stored ones read before writing, then the written ones); the same place published by another
 * source is merged, a look-alike of the same source only warned about.
 */

const MESSAGES = {
  lookAlike: (otherId: string, score: number) =>
    `Ressemble au lieu « ${otherId} » de la même source (similarité ${Math.round(score * 100)} %) : les deux sont gardés séparément, vérifiez qu'il ne s'agit pas d'un doublon.`,
  mergedWith: (otherSource: string, otherId: string, score: number) =>
    `Même lieu que « ${otherId} » publié par « ${otherSource} » (similarité ${Math.round(score * 100)} %) : les deux fiches sont gardées et fusionnées en un seul lieu (annulable par « places unmerge »).`,
  proposed: (otherSource: string, otherId: string, score: number) =>
    `Peut-être le même lieu que « ${otherId} » publié par « ${otherSource} » (similarité ${Math.round(score * 100)} %, sous le seuil de confiance) : la fusion est proposée, pas appliquée. Les deux lieux restent affichés séparément ; confirmez ou séparez-les sur la page « Fusions » (/fusions).`,
} as const;

/** A link of the merge table as the duplicate pass needs it (a row of place_link). */
export interface KnownLink {
  canonical_id: string;
  merged_id: string;
  unmerged_at: Date | null;
}

/** A merge the duplicate pass found: applied, or only proposed (`pending`) below the review threshold. */
export interface FoundLink {
  canonical: string;
  merged: string;
  score: number;
  pending: boolean;
}

export interface AcceptedEntry {
  row: number;
  source: string;
  place: PlaceData;
  hash: string;
}

/** A place this import writes: its row, its id once written, and whether it overwrote a stored record. */
export interface Touched {
  entry: AcceptedEntry;
  /**
   * Its id in the duplicate pass, which runs while the last batch is being written: the id of the stored
   * record it overwrites, or a provisional one (never a uuid) until the write returns the new id.
   */
  handle: string;
  id: string;
  wasUpdate: boolean;
  /** Its key for the duplicate pass, computed while the database writes the batch. */
  key: MatchKey;
}

/** The commune a place is compared within: its INSEE code, else postcode and name. */
function communeKey(place: { code_insee: string | null; code_postal: string; commune: string }): string {
  return place.code_insee ?? `${place.code_postal}:${place.commune.toLowerCase()}`;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** A text as the database gives it back (UTF-8 has no lone surrogate: drivers send U+FFFD instead). */
function asStored(text: string): string {
  return SURROGATE.test(text) ? Buffer.from(text, 'utf8').toString('utf8') : text;
}

/** What matchKey reads of a written place, as the database gives it back. */
export function storedMatchInput({ place }: AcceptedEntry): MatchInput {
  return {
    nom: asStored(place.nom),
    adresse: asStored(place.adresse),
    // The commune's point is nobody's position: not "close" to another place (decision 0058).
    latitude: place.positionApproximate ? null : place.latitude,
    longitude: place.positionApproximate ? null : place.longitude,
    pivot: place.pivot,
  };
}

/** A written place as listMatchCandidates would read it back (its id: its handle, see Touched). */
function candidateRow({ entry, handle }: Touched): MatchCandidateRow {
  const place = entry.place;
  return {
    id: handle,
    source: asStored(entry.source),
    source_id: asStored(place.sourceId),
    nom: asStored(place.nom),
    adresse: asStored(place.adresse),
    commune: asStored(place.commune),
    code_postal: place.codePostal,
    code_insee: place.codeInsee,
    latitude: place.positionApproximate ? null : place.latitude,
    longitude: place.positionApproximate ? null : place.longitude,
    date_maj: place.dateMaj,
    pivot: place.pivot,
  };
}

/** A place of the duplicate pass, with its comparison key computed when first needed. */
class Candidate {
  readonly row: MatchCandidateRow;
  /** The places of its commune (itself included). */
  group: CommuneGroup | null = null;
  #key: MatchKey | null;

  constructor(row: MatchCandidateRow, key: MatchKey | null = null) {
    this.row = row;
    this.#key = key;
  }

  get key(): MatchKey {
    this.#key ??= matchKey(this.row);
    return this.#key;
  }
}

/** The places of one commune, in order, and the lists of those a house number may match. */
class CommuneGroup {
  readonly members: Candidate[];
  readonly #byNumber = new Map<string, Candidate[]>();

  constructor(first: Candidate) {
    this.members = [first];
  }

  /**
   * Distinct house numbers refute a match (see mayMatch): a place with a number is compared only with
   * the places of its commune that have the same number or none, in the commune's order.
   */
  comparable(number: string | null): Candidate[] {
    if (number === null) return this.members;
    let list = this.#byNumber.get(number);
    if (!list) {
      list = this.members.filter((c) => c.key.number === null || c.key.number === number);
      this.#byNumber.set(number, list);
    }
    return list;
  }
}

/**
 * Cross-source duplicates: each place this import wrote is compared with the places of
 * its commune. The same place published by another source is merged (one link, canonical = the record
 * with the freshest date_maj; both records stay stored); a look-alike of the same source is only warned.
 * A pair once unmerged is never merged again. Returns the links to add and the written places that got
 * one, by handle (see Touched). The places of a commune are the stored ones read before writing
 * (`stored`, less those this import overwrote) followed by the written ones, in the order they were
 * written; `links` are the links touching them (links can touch only places stored before the import).
 * A merge scored below `reviewBelow` is only proposed (pending): its places are not counted as merged;
 * a pending link holds its pair like an applied one, so that the pair is never proposed twice.
 */
export function findDuplicates(
  touched: Touched[],
  stored: ReadonlyMap<string, MatchCandidateRow>,
  overwritten: Set<string>,
  links: readonly KnownLink[],
  warnings: ImportIssue[],
  reviewBelow = 0,
): { links: FoundLink[]; merged: Set<string> } {
  const mergedNow = new Set<string>();
  const newLinks: FoundLink[] = [];
  if (touched.length === 0) return { links: newLinks, merged: mergedNow };
  const touchedIds = new Set(touched.map((t) => t.handle));
  const candidates: Candidate[] = [];
  for (const row of stored.values()) if (!overwritten.has(row.id)) candidates.push(new Candidate(row));
  const firstTouched = candidates.length;
  for (const t of touched) candidates.push(new Candidate(candidateRow(t), t.key));
  const byCommune = new Map<string, CommuneGroup>();
  for (const c of candidates) {
    const key = communeKey(c.row);
    let group = byCommune.get(key);
    if (group) group.members.push(c);
    else {
      group = new CommuneGroup(c);
      byCommune.set(key, group);
    }
    c.group = group;
  }
  // Needed only for the sources of merged clusters: made on the first merge.
  let byIdMap: Map<string, Candidate> | null = null;
  const byId = () => {
    byIdMap ??= new Map(candidates.map((c) => [c.row.id, c]));
    return byIdMap;
  };
  const canonicalOf = new Map<string, string>();
  const members = new Map<string, Set<string>>();
  const unmerged = new Set<string>();
  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const join = (canonical: string, merged: string) => {
    canonicalOf.set(merged, canonical);
    const set = members.get(canonical) ?? new Set([canonical]);
    set.add(merged);
    members.set(canonical, set);
  };
  for (const link of links) {
    if (link.unmerged_at === null) join(link.canonical_id, link.merged_id);
    else unmerged.add(pairKey(link.canonical_id, link.merged_id));
  }
  const clusterOf = (id: string) => members.get(canonicalOf.get(id) ?? id) ?? new Set([id]);
  const sourcesOf = (cluster: Set<string>) => new Set([...cluster].map((id) => byId().get(id)?.row.source));
  const warnedPairs = new Set<string>();
  for (const [index, { entry, handle: id }] of touched.entries()) {
    // The written places' candidates follow the stored ones, in the same order.
    const selfCandidate = candidates[firstTouched + index] as Candidate;
    const self = selfCandidate.row;
    const group = selfCandidate.group as CommuneGroup;
    // Alone in its commune: nothing to compare (and no key to compute).
    if (group.members.length === 1) continue;
    const selfKey = selfCandidate.key;
    let best: { other: MatchCandidateRow; score: number } | null = null;
    for (const candidate of group.comparable(selfKey.number)) {
      const other = candidate.row;
      if (other.id === id) continue;
      const result = compareIfMayMatch(selfKey, candidate.key);
      if (result === null || !result.match) continue;
      if (other.source === self.source) {
        const pair = pairKey(id, other.id);
        if (!warnedPairs.has(pair)) {
          warnedPairs.add(pair);
          warnings.push({
            row: entry.row,
            id: entry.place.sourceId,
            field: 'nom',
            value: entry.place.nom,
            message: MESSAGES.lookAlike(other.source_id, result.score),
          });
        }
        continue;
      }
      if (unmerged.has(pairKey(id, other.id))) continue;
      if (!best || result.score > best.score) best = { other, score: result.score };
    }
    if (!best) continue;
    const mine = clusterOf(id);
    const theirs = clusterOf(best.other.id);
    if (mine === theirs || mine.has(best.other.id)) continue;
    const mineSources = sourcesOf(mine);
    if ([...sourcesOf(theirs)].some((source) => mineSources.has(source))) continue;
    if (mine.size > 1 && theirs.size > 1) continue;
    let canonical: string;
    let merged: string;
    if (mine.size > 1) {
      canonical = canonicalOf.get(id) ?? id;
      merged = best.other.id;
    } else if (theirs.size > 1) {
      canonical = canonicalOf.get(best.other.id) ?? best.other.id;
      merged = id;
    } else {
      // Freshest date_maj wins; on a tie, the record stored first stays canonical.
      const a = self;
      const b = best.other;
      const aFresher = (a.date_maj ?? '') > (b.date_maj ?? '');
      [canonical, merged] = aFresher ? [a.id, b.id] : [b.id, a.id];
    }
    join(canonical, merged);
    const pending = best.score < reviewBelow;
    newLinks.push({ canonical, merged, score: best.score, pending });
    if (!pending) {
      mergedNow.add(id);
      if (touchedIds.has(best.other.id)) mergedNow.add(best.other.id);
    }
    warnings.push({
      row: entry.row,
      id: entry.place.sourceId,
      field: 'id',
      value: entry.place.sourceId,
      message: (pending ? MESSAGES.proposed : MESSAGES.mergedWith)(
        best.other.source,
        best.other.source_id,
        best.score,
      ),
    });
  }
  return { links: newLinks, merged: mergedNow };
}
