import { createRequire } from 'node:module';
import type * as XLSX from '@e965/xlsx';

const require = createRequire(import.meta.url);
let loadedSheetJs: typeof XLSX | undefined;
/**
 * SheetJS, loaded at the first spreadsheet read or written rather than at start: a server seldom needs it
 * and it holds a few MB of memory once loaded (docs/decisions/0049). Its CommonJS build, the same code.
 */
export const sheetJs = (): typeof XLSX => {
  loadedSheetJs ??= require('@e965/xlsx') as typeof XLSX;
  return loadedSheetJs;
};
