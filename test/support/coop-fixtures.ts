import * as XLSX from '@e965/xlsx';
import {
  type Cell,
  COOP_HEADERS,
  type CoopColumn,
  dayToSerial,
  EXPORT_COLUMNS,
  serialToDay,
} from '../../src/activities/coop-sheet.ts';

/** Small Coop exports built in memory (XLSX or CSV), for the tests of src/activities/coop-*. */

/** One line of the Coop's table: an individual accompaniment, as the Coop writes it, with changes. */
export function coopLine(changes: Partial<Record<CoopColumn, Cell>> = {}): Partial<Record<CoopColumn, Cell>> {
  return {
    date: dayToSerial('2026-05-04'),
    createdAt: '04/05/2026 à 10:12',
    type: 'Accompagnement individuel',
    participants: 1,
    placeKind: 'Lieu d’activité',
    placeName: 'Médiathèque sud',
    address: '1 rue des Lilas',
    commune: 'Orléans',
    postalCode: '45000',
    communeCode: '45234',
    duration: 30,
    equipment: 'Ordinateur\nTéléphone',
    themes: 'E-mail\nNavigation sur internet',
    stars: '2/3',
    oriented: 'Non',
    gender: 'Féminin',
    ageBand: '60 - 69 ans',
    socialStatus: 'Retraité',
    idCra: 'cra-1',
    ...changes,
  };
}

/** A Coop export: metadata rows, a blank row, the header (the given columns) and the lines. */
export function coopRows(
  lines: Partial<Record<CoopColumn, Cell>>[],
  columns: readonly CoopColumn[] = EXPORT_COLUMNS,
): Cell[][] {
  return [
    ['Export des activités'],
    ['Exporté par', 'Camille Martin'],
    ['Nombre d’accompagnements', lines.length],
    [''],
    columns.map((c) => COOP_HEADERS[c]),
    ...lines.map((l) => columns.map((c) => l[c] ?? null)),
  ];
}

export function xlsxOf(rows: Cell[][]): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Activités');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Uint8Array;
}

export function csvOf(rows: Cell[][], delimiter = ';'): Uint8Array {
  const cell = (v: Cell) => {
    const s =
      v === null
        ? ''
        : typeof v === 'number' && v > 40000
          ? serialToDay(v).split('-').reverse().join('/')
          : String(v);
    return /[";,\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return new TextEncoder().encode(rows.map((r) => r.map(cell).join(delimiter)).join('\r\n'));
}
