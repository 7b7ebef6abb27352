import assert from 'node:assert/strict';
import type { Db } from '../../src/db/database.ts';
import { listAllPlaces } from '../../src/places/places.service.ts';
import { listPlaceImports } from '../../src/places/places-history.service.ts';
import { ASSETS } from '../../src/web/assets.ts';
import type { testApp } from '../support/app.ts';
import { access as activitiesAccess } from './activities.ts';
import { access as activityReportAccess } from './activity-report.ts';
import { access as activityStatisticsAccess } from './activity-statistics.ts';
import { access as apiTokensAccess } from './api-tokens.ts';
import { access as auditAccess } from './audit.ts';
import { access as callbacksAccess } from './callbacks.ts';
import { access as communesAccess } from './communes.ts';
import { access as coverageAccess } from './coverage.ts';
import { access as demoAccess } from './demo.ts';
import { access as diagnosticAccess } from './diagnostic.ts';
import { access as funderLinksAccess } from './funder-links.ts';
import { access as fundersAccess } from './funders.ts';
import { access as homeAccess } from './home.ts';
import { access as importsAccess } from './imports.ts';
import { access as jobsAccess } from './jobs.ts';
import { access as messagesAccess } from './messages.ts';
import { access as moderationAccess } from './moderation.ts';
import { access as networkDaysAccess } from './network-days.ts';
import { access as openDataAccess } from './open-data.ts';
import { access as opsAccess } from './ops.ts';
import { access as passDashboardsAccess } from './pass-dashboards.ts';
import { access as passPlacesAccess } from './pass-places.ts';
import { access as placesAccess } from './places.ts';
import { access as placesEditingAccess } from './places-editing.ts';
import { access as placesMergesAccess } from './places-merges.ts';
import { access as privacyAccess } from './privacy.ts';
import { access as publicationAccess } from './publication.ts';
import { access as referralsAccess } from './referrals.ts';
import { access as resourcesAccess } from './resources.ts';
import {
  COORDINATOR,
  type DomainAccess,
  EVERYONE,
  type Expectation,
  NOBODY,
  type Role,
  SIGNED_IN,
  STRUCTURE_ADMINS,
  STRUCTURE_MEMBERS,
} from './roles.ts';
import { access as searchAccess } from './search.ts';
import { access as sourceQualityAccess } from './source-quality.ts';
import { access as structuresAccess } from './structures.ts';
import { access as structuresAloneAccess } from './structures-alone.ts';
import { access as volunteersAccess } from './volunteers.ts';
import { access as vouchersAccess } from './vouchers.ts';
import { access as workshopsAccess } from './workshops.ts';

/**
 * The authorisation matrix's tables: every route of the app and every function of the policy module,
 * with who may use it, merged from the domains' files of this folder. Read by the matrix test
 * (src/accounts/authorization-matrix.test.ts) and by the malformed-input test, which signs in as a
 * role allowed on each route.
 */
export const DOMAINS: DomainAccess[] = [
  structuresAccess,
  placesAccess,
  importsAccess,
  placesEditingAccess,
  placesMergesAccess,
  moderationAccess,
  auditAccess,
  diagnosticAccess,
  referralsAccess,
  searchAccess,
  coverageAccess,
  openDataAccess,
  communesAccess,
  demoAccess,
  jobsAccess,
  privacyAccess,
  fundersAccess,
  homeAccess,
  structuresAloneAccess,
  messagesAccess,
  callbacksAccess,
  activitiesAccess,
  activityStatisticsAccess,
  activityReportAccess,
  funderLinksAccess,
  apiTokensAccess,
  passPlacesAccess,
  vouchersAccess,
  passDashboardsAccess,
  workshopsAccess,
  networkDaysAccess,
  resourcesAccess,
  opsAccess,
  volunteersAccess,
  publicationAccess,
  sourceQualityAccess,
];

/**
 * The authorisation matrix: every route of the app and every function of the policy module, with who
 * may use it. A route or policy entry missing from these tables fails the test, so nothing new ships
 * without someone deciding who may use it.
 */
export const CORE_ROUTES: Record<string, Expectation> = {
  'GET /healthz': { who: EVERYONE },
  'GET /static/:file': { who: EVERYONE, sample: ':asset' },
  'GET /api/v1/lieux/export': { who: EVERYONE },
  'GET /lieux': { who: EVERYONE },
  // The import reports and the data-quality page are for coordinators only.
  'GET /imports/:id/rapport.json': { who: COORDINATOR, sample: '/imports/:import/rapport.json' },
  'GET /imports/:id/rapport.csv': { who: COORDINATOR, sample: '/imports/:import/rapport.csv' },
  'GET /qualite': { who: COORDINATOR },
  'GET /connexion': { who: EVERYONE },
  'POST /connexion': { who: EVERYONE },
  // Only during the second-factor step: anyone else (signed in or not) is sent back to /connexion.
  'GET /connexion/code': { who: [] },
  'POST /connexion/code': { who: [] },
  'POST /connexion/lien': { who: EVERYONE },
  'GET /connexion/lien/:token': { who: EVERYONE, sample: '/connexion/lien/jeton-inconnu' },
  'POST /connexion/lien/:token': { who: EVERYONE, sample: '/connexion/lien/jeton-inconnu' },
  'GET /deconnexion': { who: EVERYONE },
  'POST /deconnexion': { who: EVERYONE },
  'GET /mot-de-passe-oublie': { who: EVERYONE },
  'POST /mot-de-passe-oublie': { who: EVERYONE },
  'GET /mot-de-passe/:token': { who: EVERYONE, sample: '/mot-de-passe/jeton-inconnu', status: 410 },
  'POST /mot-de-passe/:token': { who: EVERYONE, sample: '/mot-de-passe/jeton-inconnu' },
  'GET /invitation/:token': { who: EVERYONE, sample: '/invitation/jeton-inconnu', status: 410 },
  'POST /invitation/:token': { who: EVERYONE, sample: '/invitation/jeton-inconnu' },
  'GET /compte': { who: SIGNED_IN },
  'GET /compte/double-authentification': { who: SIGNED_IN },
  'POST /compte/double-authentification': { who: SIGNED_IN },
  'POST /compte/deconnexion-partout': { who: SIGNED_IN },
  'GET /compte/donnees': { who: SIGNED_IN },
  'GET /compte/supprimer': { who: SIGNED_IN },
  'POST /compte/supprimer': { who: SIGNED_IN },
  'GET /compte/courriels': { who: COORDINATOR },
};

/** Who may call each policy function, among people (the command line is checked apart). */
export const CORE_FUNCTIONS: Record<string, readonly Role[]> = {
  createCoordinator: NOBODY,
  listAccounts: COORDINATOR,
  inviteToStructure: STRUCTURE_ADMINS,
  describeInvitation: EVERYONE,
  acceptInvitation: EVERYONE,
  signInWithPassword: EVERYONE,
  requestSignInLink: EVERYONE,
  signInWithLink: EVERYONE,
  verifySecondFactor: EVERYONE,
  requestPasswordReset: EVERYONE,
  isResetLinkValid: EVERYONE,
  resetPassword: EVERYONE,
  resolveSession: EVERYONE,
  signOut: EVERYONE,
  // The server's own secrets (CSRF, signed links): read by the server as the system, by no person.
  installationSecret: NOBODY,
  startTotpEnrolment: SIGNED_IN,
  confirmTotpEnrolment: SIGNED_IN,
  signOutEverywhere: SIGNED_IN,
  exportMyData: SIGNED_IN,
  deleteMyAccount: SIGNED_IN,
  listOutbox: COORDINATOR,
  demoTotpCode: NOBODY,
  listStructureMembers: STRUCTURE_MEMBERS,
};

export const ROUTES: Record<string, Expectation> = Object.assign(
  {},
  CORE_ROUTES,
  ...DOMAINS.map((d) => d.routes),
);
export const FUNCTIONS: Record<string, readonly Role[]> = Object.assign(
  {},
  CORE_FUNCTIONS,
  ...DOMAINS.map((d) => d.functions),
);

/**
 * Policy entries with no service function yet (none today: `listStructureMembers` is now a service of
 * src/structures). A new entry here must be emptied as soon as its service appears.
 */
export const NOT_YET_A_SERVICE = new Set<string>([]);

export const DEMO_EMAILS: Record<Exclude<Role, 'anonymous'>, string> = {
  coordinator: 'coordination.demo@example.org',
  funder: 'financeur.demo@example.org',
  structure_admin: 'admin.demo@example.org',
  staff: 'mediation.demo@example.org',
  other_structure: 'autre-structure.demo@example.org',
  volunteer: 'benevole.demo@example.org',
};

export function routeKeys(app: ReturnType<typeof testApp>): string[] {
  // Middleware is registered as ALL; handlers carry their method.
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
}

export function outcome(res: Response): 'allow' | 'deny' | number {
  const location = res.headers.get('Location') ?? '';
  if (res.status === 401 || res.status === 403) return 'deny';
  if (res.status >= 300 && res.status < 400 && /^\/connexion(\?|$)/.test(location)) return 'deny';
  if (res.status >= 200 && res.status < 400) return 'allow';
  return res.status;
}

/** Sample ids read from the demonstration database, for the `:name` words of the sample paths. */
export async function matrixSamples(db: Db): Promise<Record<string, string>> {
  const samples: Record<string, string> = {};
  const place = (await listAllPlaces(db))[0];
  const placeImport = (await listPlaceImports(db, { kind: 'system' }))[0];
  const asset = [...ASSETS.keys()][0];
  assert.ok(place && placeImport && asset, 'demo data has a place, an import and an asset');
  samples[':place'] = place.id;
  samples[':import'] = placeImport.id;
  samples[':asset'] = asset;
  const structure = await db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select('membership.structure_id')
    .where('person.email', '=', DEMO_EMAILS.structure_admin)
    .executeTakeFirstOrThrow();
  samples[':structure'] = structure.structure_id;
  for (const domain of DOMAINS) Object.assign(samples, await domain.samples?.(db));
  return samples;
}

/** The path to request for a route key ('GET /lieux/:id'), with its sample ids. */
export function samplePath(key: string, samples: Record<string, string>): string {
  const expectation = ROUTES[key];
  const pattern = key.split(' ')[1] ?? '';
  const path = (expectation?.sample ?? pattern).replace(/:[a-z]+\b/g, (m) => samples[m] ?? m);
  assert.ok(!/\/:/.test(path), `${key}: give a sample path in the expectation table`);
  return path;
}
