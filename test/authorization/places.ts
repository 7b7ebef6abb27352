import * as errorReportsService from '../../src/places/error-reports.service.ts';
import * as placesService from '../../src/places/places.service.ts';
import * as placesHistoryService from '../../src/places/places-history.service.ts';
import * as placesImportService from '../../src/places/places-import.service.ts';
import * as publicPlacesService from '../../src/places/public-places.service.ts';
import { COORDINATOR, type DomainAccess, EVERYONE } from './roles.ts';

/**
 * Authorisation expectations of the directory of places: anyone reads it (its pages, a place's sheet,
 * the open-data export) and reports an error on a place; only coordinators (and the command line)
 * import places, undo imports and merges. The routes of the directory are in the matrix's core table
 * (matrix.ts), decided before the domains had files of their own.
 */
export const access: DomainAccess = {
  routes: {},
  functions: {
    countAllPlaces: EVERYONE,
    listPlacesPage: EVERYONE,
    getPlace: EVERYONE,
    getPublicPlace: EVERYONE,
    exportPlaces: EVERYONE,
    hasDemoPlaces: EVERYONE,
    reportPlaceError: EVERYONE,
    importPlacesFile: COORDINATOR,
    listPlaceImports: COORDINATOR,
    undoPlaceImport: COORDINATOR,
    listPlaceMerges: COORDINATOR,
    unmergePlace: COORDINATOR,
  },
  services: [
    placesService,
    placesImportService,
    placesHistoryService,
    errorReportsService,
    publicPlacesService,
  ],
};
