import * as funderLinksService from '../../src/activities/funder-links.service.ts';
import { addDays, localToday } from '../../src/places/place-dates.ts';
import { COORDINATOR, type DomainAccess, EVERYONE } from './roles.ts';

/**
 * Authorisation expectations of the funders' read-only links (decision 0056): the coordinators alone
 * list, create and revoke them — not the funder's own people, not a structure; a live link opens its
 * funder's statistics for anybody who holds it.
 */
export const access: DomainAccess = {
  routes: {
    'GET /activites/statistiques/financeur/:id/liens': {
      who: COORDINATOR,
      sample: '/activites/statistiques/financeur/:funder/liens',
    },
    'POST /activites/statistiques/financeur/:id/liens': {
      who: COORDINATOR,
      sample: '/activites/statistiques/financeur/:funder/liens',
    },
    'POST /activites/statistiques/financeur/:id/liens/:link/revoquer': {
      who: COORDINATOR,
      sample: '/activites/statistiques/financeur/:funder/liens/:funderlink/revoquer',
    },
    'GET /statistiques/lien/:secret': { who: EVERYONE, sample: '/statistiques/lien/:funderlinksecret' },
    'GET /statistiques/lien/:secret/export': {
      who: EVERYONE,
      sample: '/statistiques/lien/:funderlinksecret/export?format=csv',
    },
  },
  functions: {
    listFunderLinks: COORDINATOR,
    createFunderLink: COORDINATOR,
    revokeFunderLink: COORDINATOR,
    openFunderLink: EVERYONE,
  },
  services: [funderLinksService],
  samples: async (db) => {
    const funder = await db
      .selectFrom('funder')
      .select('id')
      .where('is_demo', '=', true)
      .executeTakeFirstOrThrow();
    const create = async () => {
      const created = await funderLinksService.createFunderLink(
        db,
        { kind: 'system' },
        {
          funderId: funder.id,
          values: { name: 'Lien du test', expiresOn: addDays(localToday(new Date()), 30) },
        },
      );
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      return created;
    };
    // One link to revoke, another that stays open for the GET routes.
    const [toRevoke, toOpen] = [await create(), await create()];
    return { ':funderlink': toRevoke.linkId, ':funderlinksecret': toOpen.secret };
  },
};
