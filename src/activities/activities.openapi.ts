import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from './activities-api.ts';
import {
  ACTIVITY_KIND_LABELS,
  AGE_BAND_LABELS,
  AUTONOMY_LABELS,
  EQUIPMENT_LABELS,
  GENDER_LABELS,
  keysOf,
  PLACE_KIND_LABELS,
  REDIRECTION_LABELS,
  SOCIAL_STATUS_LABELS,
  THEME_LABELS,
  WORKSHOP_LEVEL_LABELS,
} from './vocabulary.ts';

/**
 * `GET /api/v1/activites` in the OpenAPI document (decision 0040), merged by src/search/openapi.ts:
 * the path, its parameters, both answers (a token's records in La Coop's shape; the network's figures
 * without a token) and the bearer scheme.
 */

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const values = (labels: Record<string, string>) => keysOf(labels) as string[];
const nullableEnum = (labels: Record<string, string>, description: string) => ({
  type: ['string', 'null'],
  enum: [...values(labels), null],
  description,
});
const counts = (labels: Record<string, string>) => ({
  type: 'object',
  required: values(labels),
  additionalProperties: false,
  properties: Object.fromEntries(values(labels).map((k) => [k, { type: 'integer', minimum: 0 }])),
});
const figure = { type: ['integer', 'null'], minimum: 0 };

export const ACTIVITIES_PATHS = {
  '/activites': {
    get: {
      operationId: 'listActivites',
      summary: 'Les activités d’une structure (avec son jeton) ou les chiffres du réseau (sans jeton)',
      description: `Avec \`Authorization: Bearer <jeton>\` (jeton créé par un administrateur de la structure sur la page « Jetons d’API » de la structure, portée \`activites:lecture\`) : les activités de la structure du jeton, et d’elle seule, au format de l’API v1 de La Coop de la médiation numérique (\`data\`, \`links\`, \`meta\`), de la date la plus récente à la plus ancienne, par pages (\`page[after]\` : reprendre \`links.next.href\`). Sans en-tête Authorization : les chiffres de tout le réseau sur les douze derniers mois complets (activités et bénéficiaires par type et par mois, activités par thématique), jamais une activité ni une structure ; un chiffre d’un mois qui compte moins de 5 activités ou moins de 3 structures vaut null, les bénéficiaires d’un mois aussi dès qu’un des deux types l’est, et les totaux n’additionnent que les chiffres montrés ; du, au et page[after] sans jeton : 400. Pas de CORS : à appeler depuis un serveur ou un tableur, pas depuis la page web d’un autre site. Au plus 60 requêtes par minute et par jeton, 30 sans jeton.`,
      security: [{}, { jetonStructure: ['activites:lecture'] }],
      parameters: [
        {
          name: 'du',
          in: 'query',
          required: false,
          description: 'Premier jour (compris), AAAA-MM-JJ. Avec un jeton seulement.',
          schema: { type: 'string', format: 'date' },
        },
        {
          name: 'au',
          in: 'query',
          required: false,
          description: 'Dernier jour (compris), AAAA-MM-JJ, pas avant `du`. Avec un jeton seulement.',
          schema: { type: 'string', format: 'date' },
        },
        {
          name: 'page[size]',
          in: 'query',
          required: false,
          description: 'Activités par page (avec un jeton).',
          schema: { type: 'integer', minimum: 1, maximum: PAGE_SIZE_MAX, default: PAGE_SIZE_DEFAULT },
        },
        {
          name: 'page[after]',
          in: 'query',
          required: false,
          description:
            'Curseur de la page suivante, tel que dans `links.next.href` de la réponse précédente.',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': {
          description:
            'Avec un jeton : une page d’activités de sa structure. Sans jeton : les chiffres du réseau.',
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { $ref: '#/components/schemas/ActiviteList' },
                  { $ref: '#/components/schemas/StatistiquesActivites' },
                ],
              },
            },
          },
        },
        '400': error('Paramètre invalide ou inconnu ; `details.field` dit lequel.'),
        '401': {
          ...error(
            'Jeton absent de l’en-tête, mal formé, inconnu, expiré ou révoqué (en-tête WWW-Authenticate).',
          ),
          headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
        },
        '403': error('Le jeton n’a pas la portée `activites:lecture`.'),
        '429': {
          ...error('Trop de requêtes en une minute (en-tête Retry-After).'),
          headers: { 'Retry-After': { schema: { type: 'integer' } } },
        },
      },
    },
  },
} as const;

export const ACTIVITIES_SCHEMAS = {
  Activite: {
    type: 'object',
    required: ['type', 'id', 'attributes'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['activite'] },
      id: { type: 'string', format: 'uuid' },
      attributes: {
        type: 'object',
        additionalProperties: false,
        required: [
          'type',
          'mediateur_id',
          'user_id',
          'accompagnements',
          'date',
          'duree',
          'type_lieu',
          'structure_id',
          'lieu_nom',
          'lieu_code_postal',
          'lieu_commune',
          'lieu_code_insee',
          'creation',
          'modification',
          'suppression',
          'autonomie',
          'oriente_vers_structure',
          'structure_de_redirection',
          'materiel',
          'thematiques',
          'tags',
          'precisions_demarche',
          'titre_atelier',
          'niveau_atelier',
          'beneficiaires',
        ],
        properties: {
          type: { type: 'string', enum: values(ACTIVITY_KIND_LABELS), description: 'Type d’activité.' },
          mediateur_id: {
            type: ['string', 'null'],
            format: 'uuid',
            description: 'La personne qui a noté l’activité (null : compte supprimé depuis, ou import).',
          },
          user_id: { type: ['string', 'null'], format: 'uuid', description: 'Le même que `mediateur_id`.' },
          accompagnements: { type: 'integer', minimum: 0, description: 'Bénéficiaires accompagnés.' },
          date: { type: 'string', format: 'date' },
          duree: { type: 'integer', minimum: 1, maximum: 1439, description: 'Durée en minutes.' },
          type_lieu: { type: 'string', enum: values(PLACE_KIND_LABELS) },
          structure_id: {
            type: ['string', 'null'],
            format: 'uuid',
            description: 'Le lieu d’activité (un lieu de /lieux/{id}) si type_lieu = lieu_activite.',
          },
          lieu_nom: { type: ['string', 'null'], description: 'Nom du lieu d’activité (ajout de Maillage).' },
          lieu_code_postal: { type: ['string', 'null'] },
          lieu_commune: { type: ['string', 'null'] },
          lieu_code_insee: { type: ['string', 'null'] },
          creation: { type: 'string', format: 'date-time' },
          modification: { type: 'string', format: 'date-time' },
          suppression: {
            type: 'null',
            description: 'Toujours null : une activité supprimée n’est plus servie.',
          },
          autonomie: nullableEnum(AUTONOMY_LABELS, 'Accompagnement individuel seulement.'),
          oriente_vers_structure: { type: ['boolean', 'null'] },
          structure_de_redirection: nullableEnum(REDIRECTION_LABELS, 'Si orienté.'),
          materiel: { type: 'array', items: { type: 'string', enum: values(EQUIPMENT_LABELS) } },
          thematiques: { type: 'array', items: { type: 'string', enum: values(THEME_LABELS) } },
          tags: {
            type: 'array',
            items: { type: 'string' },
            description: 'Toujours vide : Maillage n’a pas d’étiquettes.',
          },
          precisions_demarche: { type: ['string', 'null'] },
          titre_atelier: { type: ['string', 'null'] },
          niveau_atelier: nullableEnum(WORKSHOP_LEVEL_LABELS, 'Atelier collectif seulement.'),
          beneficiaires: {
            type: 'object',
            required: ['total', 'genres', 'tranches_age', 'statuts'],
            additionalProperties: false,
            description: 'Bénéficiaires anonymes comptés ; chaque répartition fait le total.',
            properties: {
              total: { type: 'integer', minimum: 0 },
              genres: counts(GENDER_LABELS),
              tranches_age: counts(AGE_BAND_LABELS),
              statuts: counts(SOCIAL_STATUS_LABELS),
            },
          },
        },
      },
    },
  },
  ActiviteList: {
    type: 'object',
    required: ['data', 'links', 'meta'],
    additionalProperties: false,
    properties: {
      data: { type: 'array', items: { $ref: '#/components/schemas/Activite' } },
      links: {
        type: 'object',
        required: ['self'],
        additionalProperties: false,
        properties: {
          self: { type: 'object', required: ['href'], properties: { href: { type: 'string' } } },
          next: { type: 'object', required: ['href'], properties: { href: { type: 'string' } } },
        },
      },
      meta: {
        type: 'object',
        required: ['total_count', 'items_per_page', 'total_pages', 'has_next_page', 'has_prev_page'],
        additionalProperties: false,
        properties: {
          total_count: { type: 'integer', minimum: 0 },
          items_per_page: { type: 'integer', minimum: 1 },
          total_pages: { type: 'integer', minimum: 0 },
          has_next_page: { type: 'boolean' },
          has_prev_page: { type: 'boolean' },
        },
      },
    },
  },
  StatistiquesActivites: {
    type: 'object',
    required: ['data', 'meta'],
    additionalProperties: false,
    properties: {
      data: {
        type: 'object',
        required: ['type', 'attributes'],
        additionalProperties: false,
        properties: {
          type: { type: 'string', enum: ['statistiques_activites'] },
          attributes: {
            type: 'object',
            required: ['du', 'au', 'activites', 'beneficiaires', 'par_mois', 'thematiques'],
            additionalProperties: false,
            properties: {
              du: { type: 'string', format: 'date' },
              au: { type: 'string', format: 'date' },
              activites: {
                type: 'object',
                required: ['total', 'individuel', 'collectif'],
                additionalProperties: false,
                properties: { total: figure, individuel: figure, collectif: figure },
              },
              beneficiaires: {
                type: 'object',
                required: ['total', 'individuel', 'collectif'],
                additionalProperties: false,
                properties: { total: figure, individuel: figure, collectif: figure },
              },
              par_mois: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['mois', 'individuel', 'collectif', 'beneficiaires'],
                  additionalProperties: false,
                  properties: {
                    mois: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
                    individuel: figure,
                    collectif: figure,
                    beneficiaires: figure,
                  },
                },
              },
              thematiques: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['thematique', 'activites'],
                  additionalProperties: false,
                  properties: {
                    thematique: { type: 'string', enum: values(THEME_LABELS) },
                    activites: figure,
                  },
                },
              },
            },
          },
        },
      },
      meta: {
        type: 'object',
        required: ['seuil_activites', 'seuil_structures', 'note'],
        additionalProperties: false,
        properties: {
          seuil_activites: { type: 'integer' },
          seuil_structures: { type: 'integer' },
          note: { type: 'string' },
        },
      },
    },
  },
} as const;

export const ACTIVITIES_SECURITY_SCHEMES = {
  jetonStructure: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'mlg_ suivi de 43 caractères (base64url)',
    description:
      'Jeton d’une structure, créé par un de ses administrateurs (page « Jetons d’API » de la structure), montré une seule fois, expirant au plus tard un an après sa création, révocable.',
  },
} as const;
