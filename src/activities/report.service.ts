import { type Actor, authorize } from '../accounts/policy.ts';
import { analyseNetworkCoverage } from '../coverage/coverage.service.ts';
import { DEFAULT_THRESHOLD } from '../coverage/reach.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import { describeTypology } from '../places/schema-values.ts';
import { type OrientationStatistics, orientationStatistics } from '../referrals/statistics.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { Territory } from '../shared/territory.ts';
import { firstActivityDay, placesOfPerimeter } from './report.repository.ts';
import { checkReportYear, REPORT_MESSAGES, reportYears } from './report.ts';
import { networkStatistics } from './statistics.service.ts';
import type { StatisticsFigures } from './statistics.ts';

/**
 * The annual evaluation report (decision 0056): one printable page per year and perimeter (the network,
 * or one structure), for the coordinators to hand to the co-funders. Every figure comes from a service
 * that already computes it — the activity statistics (decision 0052), the orientation statistics, the
 * coverage analysis — and the report adds the places of the perimeter by kind, the method and the limits.
 */

export interface PlacesByKind {
  total: number;
  kinds: { label: string; places: { name: string; commune: string }[] }[];
}

export interface CoverageFigures {
  placesCount: number;
  radiusKm: number;
  populationTotal: number;
  populationBeyond: number;
  communes: number;
}

export interface AnnualReport {
  year: number;
  from: string;
  to: string;
  /** The year is the current one: the figures stop at today. */
  partial: boolean;
  perimeter: { id: string | null; name: string };
  structures: { id: string; name: string }[];
  years: number[];
  figures: StatisticsFigures;
  places: PlacesByKind;
  /** The network's orientations of the year (null when the perimeter is one structure). */
  orientations: OrientationStatistics | null;
  /** The network's coverage today (null for one structure, or when no place has a position). */
  coverage: CoverageFigures | null;
}

const UNKNOWN_KIND = 'Type non renseigné';

/**
 * The report of a year for the network or one of its structures, for the coordinators. A year in the
 * future, before the first record or not a year is refused (400, French message); a structure that is
 * not the network's is a 404. Aggregates only: no record, no name of a person.
 */
export async function annualReport(
  db: Db,
  actor: Actor,
  input: { year: string; structure: string; territory: Territory },
  opts: { now?: Date } = {},
): Promise<AnnualReport> {
  authorize(actor, 'annualReport');
  const now = opts.now ?? new Date();
  const today = localToday(now);
  const first = await firstActivityDay(db);
  const checked = checkReportYear(input.year, today, first);
  if (!checked.ok) throw new DomainError('invalid_input', checked.message, { field: 'annee' });
  const structure = input.structure.trim().toLowerCase().slice(0, 60);
  const stats = await networkStatistics(
    db,
    actor,
    { query: { du: checked.from, au: checked.to, par: 'mois', structure } },
    { now },
  );
  if (stats.errors.structure)
    throw new DomainError('not_found', REPORT_MESSAGES.unknownStructure, { field: 'structure' });
  const unexpected = Object.values(stats.errors)[0];
  if (unexpected) throw new DomainError('invalid_input', unexpected);
  const chosen = structure === '' ? null : stats.structures.find((s) => s.id === structure);
  const places = await placesOfPerimeter(db, chosen ? [chosen.id] : null);
  const orientations =
    chosen === null
      ? await orientationStatistics(db, actor, { du: checked.from, au: checked.to }, { now })
      : null;
  return {
    year: checked.year,
    from: checked.from,
    to: checked.to,
    partial: checked.partial,
    perimeter: chosen ? { id: chosen.id, name: chosen.name } : { id: null, name: 'Tout le réseau' },
    structures: stats.structures,
    years: reportYears(today, first),
    figures: stats.figures,
    places: placesByKind(places),
    orientations: orientations?.ok ? orientations.stats : null,
    coverage: chosen === null ? await coverageOf(db, actor, input.territory) : null,
  };
}

function placesByKind(rows: { nom: string; commune: string; typologie: string[] }[]): PlacesByKind {
  const kinds = new Map<string, { name: string; commune: string }[]>();
  for (const r of rows) {
    // A place of several kinds is listed under its first: the list counts each place once.
    const label = r.typologie[0] ? describeTypology(r.typologie[0]) : UNKNOWN_KIND;
    const list = kinds.get(label) ?? [];
    list.push({ name: r.nom, commune: r.commune });
    kinds.set(label, list);
  }
  return {
    total: rows.length,
    kinds: [...kinds.entries()]
      .map(([label, places]) => ({ label, places }))
      .sort((a, b) => b.places.length - a.places.length || a.label.localeCompare(b.label, 'fr')),
  };
}

async function coverageOf(db: Db, actor: Actor, territory: Territory): Promise<CoverageFigures | null> {
  try {
    const result = await analyseNetworkCoverage(db, actor, {
      territory,
      service: null,
      threshold: DEFAULT_THRESHOLD,
      suggest: 0,
      itinerant: 0,
    });
    const a = result.analysis;
    return {
      placesCount: a.placesCount,
      radiusKm: a.radiusKm,
      populationTotal: a.populationTotal,
      populationBeyond: a.populationBeyond,
      communes: a.communes.length,
    };
  } catch (error) {
    // No place with a position (an empty directory): the report says the coverage is not measured.
    if (error instanceof DomainError && error.code === 'not_found') return null;
    throw error;
  }
}
