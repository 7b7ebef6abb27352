import * as XLSX from '@e965/xlsx';
import { type StatisticsFigures, statisticsCsv, statisticsRows } from './statistics.ts';

/**
 * The statistics as files (decision 0052): CSV for spreadsheets in France (semicolons, BOM, CRLF, inert
 * formulas: shared/spreadsheet) and an XLSX workbook where counts are numbers and shares are numbers
 * formatted as per cent with decimals, so that Excel in French shows "12,5 %" and sums them.
 */

export type StatisticsFormat = 'csv' | 'xlsx';

export function statisticsFile(
  format: StatisticsFormat,
  perimeter: string,
  figures: StatisticsFigures,
  fileStem: string,
): { body: string | Uint8Array; contentType: string; fileName: string } {
  if (format === 'csv')
    return {
      body: statisticsCsv(perimeter, figures),
      contentType: 'text/csv; charset=utf-8',
      fileName: `${fileStem}.csv`,
    };
  const rows = statisticsRows(perimeter, figures);
  const sheet = XLSX.utils.aoa_to_sheet(rows);
  // Shares (third column of each section) as numbers formatted with three decimals.
  rows.forEach((row, r) => {
    const cell = sheet[XLSX.utils.encode_cell({ r, c: 2 })];
    if (cell && typeof row[2] === 'number') cell.z = '0.000';
  });
  sheet['!cols'] = [{ wch: 60 }, { wch: 20 }, { wch: 12 }];
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, 'Statistiques');
  return {
    body: XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx', compression: true }) as Uint8Array,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `${fileStem}.xlsx`,
  };
}
