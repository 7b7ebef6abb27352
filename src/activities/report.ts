import { FIRST_RECORD_DAY } from './vocabulary.ts';

/**
 * The annual evaluation report (decision 0056), the pure part: the year asked, checked against today
 * and the first record, and the words of its method and limits. The figures themselves are the
 * statistics' (decision 0052): the report adds no definition of its own.
 */

export const REPORT_MESSAGES = {
  yearNotNumber: (v: string) =>
    `L'année « ${v} » n'est pas une année. Écrivez-la en quatre chiffres, par exemple 2025.`,
  yearFuture: (year: number, current: number) =>
    `L'année ${year} n'a pas encore commencé : choisissez une année jusqu'à ${current}.`,
  yearBeforeRecords: (year: number, first: number) =>
    `Aucune activité n'est enregistrée avant ${first} : choisissez une année à partir de ${first} (reçu : ${year}).`,
  unknownStructure:
    "Cette structure n'existe pas dans le réseau. Choisissez-en une dans la liste, ou « Tout le réseau ».",
} as const;

export type YearCheck =
  | { ok: true; year: number; from: string; to: string; partial: boolean }
  | { ok: false; message: string };

/**
 * The days of the year asked: 1 January to 31 December, cut at today for the current year (and at the
 * first possible day of a record). Empty means the current year. A year in the future or before the
 * first record's year is refused with a French message naming the years possible.
 */
export function checkReportYear(asked: string, today: string, firstRecordDay: string | null): YearCheck {
  const current = Number(today.slice(0, 4));
  const first = Number((firstRecordDay ?? today).slice(0, 4));
  const text = asked.trim();
  const year = text === '' ? current : /^\d{4}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(year))
    return { ok: false, message: REPORT_MESSAGES.yearNotNumber(text.slice(0, 20)) };
  if (year > current) return { ok: false, message: REPORT_MESSAGES.yearFuture(year, current) };
  if (year < first) return { ok: false, message: REPORT_MESSAGES.yearBeforeRecords(year, first) };
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  return {
    ok: true,
    year,
    from: start < FIRST_RECORD_DAY ? FIRST_RECORD_DAY : start,
    to: end > today ? today : end,
    partial: end > today,
  };
}

/** The years a coordinator may choose, newest first. */
export function reportYears(today: string, firstRecordDay: string | null): number[] {
  const current = Number(today.slice(0, 4));
  const first = Number((firstRecordDay ?? today).slice(0, 4));
  const out: number[] = [];
  for (let y = current; y >= first; y--) out.push(y);
  return out;
}

/** What the report does not count, said on paper next to the figures. */
export const REPORT_LIMITS = [
  'Seules les activités enregistrées dans Maillage sont comptées : un accompagnement qui n’a pas été saisi n’apparaît nulle part.',
  'Les participants anonymes ne sont pas des personnes distinctes : une personne venue trois fois sans fiche compte trois fois. Ils ne sont jamais additionnés aux personnes suivies pour dire « combien de personnes ».',
  'Les personnes suivies ne sont que celles qui ont une fiche : le nombre réel de personnes accompagnées se situe entre le nombre de personnes suivies et la somme des personnes suivies et des participants anonymes.',
  'Les orientations comptent les fiches de liaison envoyées dans Maillage sur l’année, pour tout le réseau ; une orientation faite de vive voix n’y figure pas.',
  'Le pass numérique est compté par les activités liées à un chèque encaissé : un chèque encaissé sans activité enregistrée n’y figure pas.',
  'La couverture du territoire mesure la distance aux lieux de l’annuaire aujourd’hui, pas au cours de l’année.',
] as const;
