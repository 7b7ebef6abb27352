import * as importUploadsService from '../../src/places/import-uploads.service.ts';
import { sampleRow, toCsv } from '../support/fixtures.ts';
import { COORDINATOR, type DomainAccess, NOBODY } from './roles.ts';

const UNKNOWN_UPLOAD = '00000000-0000-4000-8000-000000000000';

/**
 * Authorisation expectations of imports on the web (decision 0031): coordinators only, like the
 * command line's imports; the background work is the system's (the job runner).
 */
export const access: DomainAccess = {
  routes: {
    'GET /imports': { who: COORDINATOR },
    'GET /imports/nouveau': { who: COORDINATOR },
    // Without a file: the coordinator gets the form back with its message.
    'POST /imports/nouveau': { who: COORDINATOR, status: 400 },
    'POST /imports/:id/annuler': {
      who: COORDINATOR,
      sample: `/imports/${UNKNOWN_UPLOAD}/annuler`,
      status: 404,
    },
    'GET /imports/envoi/:id': { who: COORDINATOR, sample: '/imports/envoi/:upload' },
    'GET /imports/envoi/:id/correspondance': {
      who: COORDINATOR,
      sample: '/imports/envoi/:upload/correspondance',
    },
    'GET /imports/envoi/:id/correspondance.json': {
      who: COORDINATOR,
      sample: '/imports/envoi/:upload/correspondance.json',
    },
    'POST /imports/envoi/:id/correspondance': {
      who: COORDINATOR,
      sample: `/imports/envoi/${UNKNOWN_UPLOAD}/correspondance`,
      status: 404,
    },
    'POST /imports/envoi/:id/confirmer': {
      who: COORDINATOR,
      sample: `/imports/envoi/${UNKNOWN_UPLOAD}/confirmer`,
      status: 404,
    },
    'POST /imports/envoi/:id/abandonner': {
      who: COORDINATOR,
      sample: `/imports/envoi/${UNKNOWN_UPLOAD}/abandonner`,
      status: 404,
    },
  },
  functions: {
    viewImportsOverview: COORDINATOR,
    uploadPlacesFile: COORDINATOR,
    viewUploadMapping: COORDINATOR,
    viewImportUpload: COORDINATOR,
    mapImportUpload: COORDINATOR,
    confirmImportUpload: COORDINATOR,
    cancelImportUpload: COORDINATOR,
    runImportUploads: NOBODY,
    purgeImportUploads: NOBODY,
  },
  services: [importUploadsService],
  samples: async (db) => {
    const { id } = await importUploadsService.uploadPlacesFile(
      db,
      { kind: 'system' },
      {
        file: {
          name: 'exemple.csv',
          bytes: new TextEncoder().encode(toCsv([sampleRow({ id: 'matrice-1', nom: 'Lieu de la matrice' })])),
        },
        source: 'matrice',
        mapping: null,
      },
    );
    return { ':upload': id };
  },
};
