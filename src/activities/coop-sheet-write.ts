import { stringify } from 'csv-stringify/sync';
import { inertCell } from '../shared/spreadsheet.ts';
import type { ParticipantCounts } from './activities.ts';
import { type Cell, COOP_HEADERS, type CoopColumn, dayToSerial, EXPORT_COLUMNS } from './coop-sheet.ts';
import { sheetJs } from './sheetjs.ts';
import {
  ACTIVITY_KIND_LABELS,
  type ActivityKind,
  AGE_BAND_LABELS,
  AUTONOMY_STARS,
  type Autonomy,
  EQUIPMENT_LABELS,
  type Equipment,
  GENDER_LABELS,
  keysOf,
  PLACE_KIND_LABELS,
  type PlaceKind,
  REDIRECTION_LABELS,
  type Redirection,
  SOCIAL_STATUS_LABELS,
  THEME_LABELS,
  type Theme,
  WORKSHOP_LEVEL_STARS,
  type WorkshopLevel,
} from './vocabulary.ts';

/**
 * Maillage's records written in the layout of La Coop's export of accompaniments (decision 0039): a sheet
 * "Activités", metadata rows, a blank row, then the table of `EXPORT_COLUMNS` — one line per participant,
 * lists joined by newlines, autonomy and level as stars out of 3, Oui/Non. Pure.
 */

/** What the export needs of a record (the service's `ActivityDetail` has it). */
export interface ExportRecord {
  id: string;
  source: 'maillage' | 'coop_import';
  externalId: string | null;
  kind: ActivityKind;
  date: string;
  durationMinutes: number;
  placeKind: PlaceKind;
  placeName: string | null;
  communeCode: string | null;
  postalCode: string | null;
  themes: readonly Theme[];
  equipment: readonly Equipment[];
  procedureDetails: string | null;
  autonomy: Autonomy | null;
  oriented: boolean | null;
  redirection: Redirection | null;
  beneficiaryCommuneCode: string | null;
  workshopTitle: string | null;
  workshopLevel: WorkshopLevel | null;
  participants: ParticipantCounts | null;
  createdAt: Date;
  updatedAt: Date;
  /** The address of the Maillage place the record is linked to, if any. */
  placeAddress: string | null;
}

export interface ExportMeta {
  structureName: string;
  generatedAt: Date;
  from: string | null;
  to: string | null;
  /** A commune's name from its INSEE code (the official list), or null. */
  communeName: (code: string) => string | null;
}

const frenchDay = (iso: string) => iso.split('-').reverse().join('/');
const frenchTime = (d: Date) => {
  const parts = new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')} à ${get('hour')}:${get('minute')}`;
};

/** The counts of a breakdown as one value per participant, in the vocabulary's order. */
function spread<K extends string>(
  labels: Record<K, string>,
  counts: Record<K, number> | undefined,
  n: number,
): K[] {
  const out: K[] = [];
  if (counts) for (const k of keysOf(labels)) for (let i = 0; i < (counts[k] ?? 0); i++) out.push(k);
  while (out.length < n) out.push('non_communique' as K);
  return out.slice(0, n);
}

/** The table's lines of one record: one per participant (a record without counts: one line). */
export function recordLines(r: ExportRecord, meta: Pick<ExportMeta, 'communeName'>): Cell[][] {
  const n = Math.max(1, r.participants?.total ?? 1);
  const genders = spread(GENDER_LABELS, r.participants?.gender, n);
  const ages = spread(AGE_BAND_LABELS, r.participants?.ageBand, n);
  const statuses = spread(SOCIAL_STATUS_LABELS, r.participants?.socialStatus, n);
  const imported = r.source === 'coop_import';
  const stars = r.autonomy
    ? `${AUTONOMY_STARS[r.autonomy]}/3`
    : r.workshopLevel
      ? `${WORKSHOP_LEVEL_STARS[r.workshopLevel]}/3`
      : '';
  const name = (code: string | null) => (code ? (meta.communeName(code) ?? '') : '');
  const lines: Cell[][] = [];
  for (let i = 0; i < n; i++) {
    const cells: Record<CoopColumn, Cell> = {
      date: dayToSerial(r.date),
      // Maillage's own times for its records; an import did not keep the Coop's.
      createdAt: imported ? '' : frenchTime(r.createdAt),
      updatedAt: imported || r.updatedAt.getTime() === r.createdAt.getTime() ? '' : frenchTime(r.updatedAt),
      mediatorFirstName: '',
      mediatorLastName: '',
      role: '',
      conumId: '',
      type: ACTIVITY_KIND_LABELS[r.kind],
      participants: n === 1 ? 1 : `${i + 1}/${n}`,
      beneficiary: '',
      placeKind: PLACE_KIND_LABELS[r.placeKind],
      placeName: r.placeName ?? '',
      address: r.placeAddress ?? '',
      commune: name(r.communeCode),
      postalCode: r.postalCode ?? '',
      communeCode: r.communeCode ?? '',
      duration: r.durationMinutes,
      workshopTitle: r.workshopTitle ?? '',
      equipment: r.equipment.map((e) => EQUIPMENT_LABELS[e]).join('\n'),
      themes: r.themes.map((t) => THEME_LABELS[t]).join('\n'),
      tags: '',
      procedure: r.procedureDetails ?? '',
      stars,
      oriented: r.oriented === null ? '' : r.oriented ? 'Oui' : 'Non',
      redirection: r.redirection ? REDIRECTION_LABELS[r.redirection] : '',
      beneficiaryCommune: name(r.beneficiaryCommuneCode),
      beneficiaryPostalCode: '',
      beneficiaryCommuneCode: r.beneficiaryCommuneCode ?? '',
      gender: GENDER_LABELS[genders[i] ?? 'non_communique'],
      ageBand: AGE_BAND_LABELS[ages[i] ?? 'non_communique'],
      socialStatus: SOCIAL_STATUS_LABELS[statuses[i] ?? 'non_communique'],
      notes: '',
      dataSource: '',
      // The Coop's id for what came from it; Maillage's own id for its records (importing them back
      // recognises them).
      idCra: r.externalId ?? r.id,
    };
    lines.push(EXPORT_COLUMNS.map((k) => cells[k]));
  }
  return lines;
}

/** The rows of the sheet: metadata, a blank row, the header, the lines. */
export function exportRows(
  records: readonly ExportRecord[],
  meta: ExportMeta,
): { rows: Cell[][]; headerRow: number } {
  const lines = records.flatMap((r) => recordLines(r, meta));
  const period =
    meta.from && meta.to
      ? `du ${frenchDay(meta.from)} au ${frenchDay(meta.to)}`
      : meta.from
        ? `depuis le ${frenchDay(meta.from)}`
        : meta.to
          ? `jusqu’au ${frenchDay(meta.to)}`
          : 'toutes les dates';
  const rows: Cell[][] = [
    ['Export des accompagnements (disposition de La Coop de la médiation numérique)'],
    ['Structure', meta.structureName],
    ['Exporté le', frenchTime(meta.generatedAt)],
    ['Période', period],
    ['Nombre d’accompagnements', lines.length],
    [''],
    EXPORT_COLUMNS.map((k) => COOP_HEADERS[k]),
    ...lines,
  ];
  return { rows, headerRow: 7 };
}

/** Spreadsheets run a cell starting with = + - @ as a formula: in CSV, the product's one rule keeps it text. */
const inert = (v: Cell): Cell => (typeof v === 'string' ? inertCell(v) : v);

export function writeCoopXlsx(records: readonly ExportRecord[], meta: ExportMeta): Uint8Array {
  const { rows, headerRow } = exportRows(records, meta);
  const sheet = sheetJs().utils.aoa_to_sheet(rows);
  // The date column as a date (dd/mm/yyyy), as the Coop's export.
  for (let r = headerRow; r < rows.length; r++) {
    const cell = sheet[sheetJs().utils.encode_cell({ r, c: 0 })];
    if (cell && cell.t === 'n') cell.z = 'dd/mm/yyyy';
  }
  sheet['!autofilter'] = {
    ref: sheetJs().utils.encode_range({
      s: { r: headerRow - 1, c: 0 },
      e: { r: rows.length - 1, c: EXPORT_COLUMNS.length - 1 },
    }),
  };
  const workbook = sheetJs().utils.book_new();
  sheetJs().utils.book_append_sheet(workbook, sheet, 'Activités');
  return sheetJs().write(workbook, { type: 'buffer', bookType: 'xlsx', compression: true }) as Uint8Array;
}

/** CSV for spreadsheets in France: semicolon, BOM, `\r\n`, dates as dd/mm/yyyy, formulas made inert. */
export function writeCoopCsv(records: readonly ExportRecord[], meta: ExportMeta): string {
  const { rows, headerRow } = exportRows(records, meta);
  const out = rows.map((row, i) =>
    row.map((cell, c) =>
      i >= headerRow && c === 0 && typeof cell === 'number' ? frenchDay(serialDay(cell)) : inert(cell),
    ),
  );
  return `\uFEFF${stringify(out, { delimiter: ';', record_delimiter: '\r\n' })}`;
}

const serialDay = (serial: number) => new Date((serial - 25569) * 86_400_000).toISOString().slice(0, 10);
