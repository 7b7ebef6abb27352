import * as auditService from '../../src/audit/audit.service.ts';
import * as freshnessService from '../../src/places/freshness.service.ts';
import * as privateContactsService from '../../src/places/private-contacts.service.ts';
import { ANY_MEMBER, COORDINATOR, type DomainAccess, STRUCTURE_MEMBERS } from './roles.ts';

/**
 * Authorisation expectations of the audit log page, the data-quality page and import reports and of places' private professional contacts.
 */
export const access: DomainAccess = {
  routes: {
    'GET /journal': { who: COORDINATOR },
    'GET /journal.csv': { who: COORDINATOR },
    'GET /lieux/:id/contact-pro': { who: ANY_MEMBER, sample: '/lieux/:place/contact-pro' },
    // Members of the place's structure and coordinators (the POST is checked without a CSRF token only).
    'POST /lieux/:id/contact-pro': { who: STRUCTURE_MEMBERS, sample: '/lieux/:ownplace/contact-pro' },
  },
  functions: {
    viewPrivateContact: ANY_MEMBER,
    updatePrivateContact: STRUCTURE_MEMBERS,
    viewDataQuality: COORDINATOR,
    downloadImportReport: COORDINATOR,
    listAuditLog: COORDINATOR,
    exportAuditLog: COORDINATOR,
  },
  services: [auditService, freshnessService, privateContactsService],
  async samples(db) {
    // A place of the demo structure (where structure_admin and staff are members).
    const place = await db
      .selectFrom('place')
      .innerJoin('membership', 'membership.structure_id', 'place.structure_id')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('place.id')
      .where('person.email', '=', 'admin.demo@example.org')
      .orderBy('place.nom')
      .executeTakeFirstOrThrow();
    return { ':ownplace': place.id };
  },
};
