import type { Db } from '../../src/db/database.ts';
import * as collectionsService from '../../src/resources/resource-collections.service.ts';
import * as resourcesService from '../../src/resources/resources.service.ts';
import {
  ANY_MEMBER,
  type DomainAccess,
  EVERYONE,
  MEMBERS_ONLY,
  NOBODY,
  type Role,
  SIGNED_IN,
  STRUCTURE_MEMBERS,
} from './roles.ts';

/** The staff of any structure (not coordinators, not funders): they share for their own structure. */
const STAFF_OF_ANY: readonly Role[] = ['structure_admin', 'staff', 'other_structure'];

/**
 * The resource bank (decision 0042): anybody reads the public resources (members read all); a
 * structure's staff share and make collections for their own structure; its members and the
 * coordinators edit, delete, order and close reports; any member reports "obsolète / erreur".
 */
export const access: DomainAccess = {
  routes: {
    'GET /ressources': { who: EVERYONE },
    'GET /ressources/partager': { who: SIGNED_IN },
    'POST /ressources/partager': { who: STAFF_OF_ANY },
    'GET /ressources/signalements': { who: ANY_MEMBER },
    'POST /ressources/signalements/:id': {
      who: STRUCTURE_MEMBERS,
      sample: '/ressources/signalements/:flagged',
    },
    'GET /ressources/collections': { who: EVERYONE },
    'POST /ressources/collections': { who: STAFF_OF_ANY },
    'GET /ressources/collections/:id': { who: EVERYONE, sample: '/ressources/collections/:collection' },
    'POST /ressources/collections/:id': {
      who: STRUCTURE_MEMBERS,
      sample: '/ressources/collections/:collection',
    },
    'POST /ressources/collections/:id/nom': {
      who: STRUCTURE_MEMBERS,
      sample: '/ressources/collections/:collection/nom',
    },
    'GET /ressources/collections/:id/supprimer': {
      who: STRUCTURE_MEMBERS,
      sample: '/ressources/collections/:collection/supprimer',
    },
    'POST /ressources/collections/:id/supprimer': {
      who: STRUCTURE_MEMBERS,
      sample: '/ressources/collections/:collection/supprimer',
    },
    'GET /ressources/:id': { who: EVERYONE, sample: '/ressources/:resource' },
    'POST /ressources/:id/fichier': { who: STRUCTURE_MEMBERS, sample: '/ressources/:resource/fichier' },
    'GET /ressources/:id/fichier': { who: EVERYONE, sample: '/ressources/:resource/fichier' },
    'GET /ressources/:id/modifier': { who: STRUCTURE_MEMBERS, sample: '/ressources/:resource/modifier' },
    'POST /ressources/:id/modifier': { who: STRUCTURE_MEMBERS, sample: '/ressources/:resource/modifier' },
    'POST /ressources/:id/supprimer': { who: STRUCTURE_MEMBERS, sample: '/ressources/:resource/supprimer' },
    'POST /ressources/:id/signaler': { who: ANY_MEMBER, sample: '/ressources/:resource/signaler' },
  },
  functions: {
    listResources: EVERYONE,
    getResource: EVERYONE,
    downloadResourceFile: EVERYONE,
    prepareResourceShare: SIGNED_IN,
    shareResource: MEMBERS_ONLY,
    getResourceForEdit: STRUCTURE_MEMBERS,
    updateResource: STRUCTURE_MEMBERS,
    replaceResourceFile: STRUCTURE_MEMBERS,
    deleteResource: STRUCTURE_MEMBERS,
    reportResource: ANY_MEMBER,
    listResourceReports: ANY_MEMBER,
    closeResourceReport: STRUCTURE_MEMBERS,
    listCollections: EVERYONE,
    getCollection: EVERYONE,
    createCollection: MEMBERS_ONLY,
    changeCollection: STRUCTURE_MEMBERS,
    renameCollection: STRUCTURE_MEMBERS,
    prepareCollectionDelete: STRUCTURE_MEMBERS,
    deleteCollection: STRUCTURE_MEMBERS,
    seedDemoResources: NOBODY,
    removeDemoResources: NOBODY,
  },
  services: [resourcesService, collectionsService],
  // The demonstration's public file of the demo structure (that of structure_admin and staff), its
  // collection, and the open report on its other file.
  samples: async (db: Db) => {
    const structure = await db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', 'admin.demo@example.org')
      .executeTakeFirstOrThrow();
    const resource = await db
      .selectFrom('resource')
      .innerJoin('resource_file', 'resource_file.resource_id', 'resource.id')
      .select('resource.id')
      .where('resource.structure_id', '=', structure.structure_id)
      .where('resource.is_public', '=', true)
      .executeTakeFirstOrThrow();
    const collection = await db
      .selectFrom('resource_collection')
      .select('id')
      .where('structure_id', '=', structure.structure_id)
      .executeTakeFirstOrThrow();
    const report = await db
      .selectFrom('resource_report')
      .innerJoin('resource', 'resource.id', 'resource_report.resource_id')
      .select('resource_report.id')
      .where('resource.structure_id', '=', structure.structure_id)
      .executeTakeFirstOrThrow();
    return { ':resource': resource.id, ':collection': collection.id, ':flagged': report.id };
  },
};
