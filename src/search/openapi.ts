import {
  ACTIVITIES_PATHS,
  ACTIVITIES_SCHEMAS,
  ACTIVITIES_SECURITY_SCHEMES,
} from '../activities/activities.openapi.ts';
import { SCHEMA_FIELDS } from '../places/places.ts';
import { NEEDS } from './needs.ts';
import { ACCOMPANIMENT_VALUES, PUBLIC_VALUES, SERVICE_VALUES, SUPPORT_VALUES } from './vocabulary.ts';

/**
 * The API's OpenAPI 3.1 description. A test calls every documented operation and validates the real
 * responses against these schemas, so the document cannot drift from the code.
 */
const placeProperties: Record<string, unknown> = {
  id: {
    type: 'string',
    format: 'uuid',
    description: 'Identifiant stable Maillage (le même que /lieux/{id}).',
  },
  source_id: { type: 'string', description: "Identifiant du lieu chez l'éditeur de la source." },
};
for (const field of SCHEMA_FIELDS) {
  if (field === 'id') continue;
  placeProperties[field] =
    field === 'latitude' || field === 'longitude'
      ? { type: ['number', 'null'] }
      : {
          type: 'string',
          description: 'Champ du schéma national v1.0.2 ; valeurs multiples séparées par « | ».',
        };
}
placeProperties.distance_m = {
  type: ['integer', 'null'],
  description: 'Distance à vol d’oiseau en mètres depuis `near` ou la commune.',
};
placeProperties.open_now = {
  type: ['boolean', 'null'],
  description: 'Ouvert maintenant (heure du lieu) ; null si horaires inconnus.',
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const multi = (name: string, values: readonly string[], description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'array', items: { type: 'string', enum: [...values] } },
  style: 'form',
  explode: true,
});
const flag = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', enum: ['true', 'false', '1', '0', 'oui', 'non'] },
});

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'API Maillage — lieux de médiation numérique',
    version: '1.0.0',
    description:
      'Les lieux d’aide au numérique du réseau, au format du schéma national des lieux de médiation numérique (ANCT / La MedNum), avec la recherche par besoin et par distance : données ouvertes, sans clé. Et les activités de médiation : les chiffres du réseau sans clé, les activités d’une structure avec un jeton de cette structure (`/activites`).',
    license: { name: 'Licence Ouverte 2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
  },
  servers: [{ url: '/api/v1' }],
  paths: {
    '/lieux': {
      get: {
        operationId: 'searchPlaces',
        summary: 'Chercher des lieux',
        description:
          'Les plus proches d’abord quand `near` ou `commune` est donné, par nom sinon. Pagination par `cursor` (`next_cursor` de la réponse précédente). Seulement les lieux du territoire du réseau et ceux tout près de sa limite, jamais plus loin de `near` ou de la commune que la distance maximale du réseau (50 km par défaut) : au-delà, la liste est vide.',
        parameters: [
          {
            name: 'besoin',
            in: 'query',
            required: false,
            description: 'Un besoin du vocabulaire Maillage ou un service du schéma national.',
            schema: { type: 'string', enum: [...NEEDS.map((n) => n.slug), ...SERVICE_VALUES] },
          },
          {
            name: 'service',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: [...SERVICE_VALUES] },
          },
          {
            name: 'near',
            in: 'query',
            required: false,
            description: '« latitude,longitude » en degrés décimaux.',
            schema: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?$' },
            example: '47.9029,1.9039',
          },
          {
            name: 'radius',
            in: 'query',
            required: false,
            description:
              'Rayon en km autour de `near` ou de la commune ; au plus la distance maximale du réseau (50 km par défaut).',
            schema: { type: 'number', minimum: 0.1, maximum: 1000 },
          },
          {
            name: 'commune',
            in: 'query',
            required: false,
            description: 'Code INSEE : les lieux les plus proches de cette commune.',
            schema: { type: 'string', pattern: '^(\\d{5}|2[ABab]\\d{3})$' },
          },
          flag('ouvert_maintenant', 'Seulement les lieux ouverts maintenant.'),
          flag('samedi', 'Seulement les lieux ouverts samedi prochain.'),
          flag('gratuit', 'Seulement les lieux gratuits (ou gratuits sous condition).'),
          multi('public', PUBLIC_VALUES, 'Publics spécifiquement adressés (tous requis).'),
          multi('prise_en_charge', SUPPORT_VALUES, 'Prises en charge spécifiques (tous requis).'),
          multi('accompagnement', ACCOMPANIMENT_VALUES, 'Modalités d’accompagnement (toutes requises).'),
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'Une page de lieux.',
            headers: { ETag: { schema: { type: 'string' } } },
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['data', 'next_cursor'],
                  additionalProperties: false,
                  properties: {
                    data: { type: 'array', items: { $ref: '#/components/schemas/Place' } },
                    next_cursor: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          '304': { description: 'Inchangé depuis l’ETag envoyé dans If-None-Match.' },
          '400': errorResponse('Paramètre invalide, inconnu ou répété ; `details.issues` dit lequel.'),
          '404': errorResponse('Commune inconnue.'),
        },
      },
    },
    '/lieux/{id}': {
      get: {
        operationId: 'getPlace',
        summary: 'Un lieu',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': {
            description: 'Le lieu.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Place' } } },
          },
          '404': errorResponse('Lieu inconnu.'),
        },
      },
    },
    '/lieux/export': {
      get: {
        operationId: 'exportPlaces',
        summary: 'Exporter l’annuaire au schéma national v1.0.2',
        description: 'Les lieux du territoire du réseau et ceux tout près de sa limite, comme la recherche.',
        parameters: [
          {
            name: 'format',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['csv', 'csv-excel', 'json'], default: 'csv' },
          },
          {
            name: 'territory',
            in: 'query',
            required: false,
            description: 'com:45234, epci:244500468, dep:45, reg:24 ou fr',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': {
            description: 'Le fichier.',
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/json': { schema: { type: 'array', items: { type: 'object' } } },
            },
          },
          '400': errorResponse('Format ou territoire invalide.'),
          '404': errorResponse('Territoire inconnu.'),
        },
      },
    },
    ...ACTIVITIES_PATHS,
    '/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'Ce document',
        responses: {
          '200': {
            description: 'OpenAPI 3.1',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  },
  components: {
    securitySchemes: ACTIVITIES_SECURITY_SCHEMES,
    schemas: {
      ...ACTIVITIES_SCHEMAS,
      Place: {
        type: 'object',
        required: Object.keys(placeProperties),
        additionalProperties: false,
        properties: placeProperties,
      },
      Error: {
        type: 'object',
        required: ['error'],
        additionalProperties: false,
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message', 'details'],
            additionalProperties: false,
            properties: {
              code: { type: 'string' },
              message: { type: 'string', description: 'Message en français.' },
              details: {},
            },
          },
        },
      },
    },
  },
} as const;
