import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { access as auditAccess } from '../../test/authorization/audit.ts';
import { access as diagnosticAccess } from '../../test/authorization/diagnostic.ts';
import { access as moderationAccess } from '../../test/authorization/moderation.ts';
import { access as placesEditingAccess } from '../../test/authorization/places-editing.ts';
import { access as referralsAccess } from '../../test/authorization/referrals.ts';
import {
  COORDINATOR,
  type DomainAccess,
  EVERYONE,
  type Expectation,
  NOBODY,
  ROLES,
  type Role,
  SIGNED_IN,
  STRUCTURE_ADMINS,
  STRUCTURE_MEMBERS,
} from '../../test/authorization/roles.ts';
import { access as structuresAccess } from '../../test/authorization/structures.ts';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import * as coverageService from '../coverage/coverage.service.ts';
import { seedDemoIfFresh } from '../demo/demo.service.ts';
import { listAllPlaces, listPlaceImports } from '../places/places.service.ts';
import { ASSETS } from '../web/assets.ts';
import * as accountsService from './accounts.service.ts';
import { type Actor, can, POLICY, type PolicyFunction, type Rule } from './policy.ts';

const DOMAINS: DomainAccess[] = [
  structuresAccess,
  placesEditingAccess,
  moderationAccess,
  auditAccess,
  diagnosticAccess,
  referralsAccess,
];

/**
 * The authorisation matrix: every route of the app and every function of the policy module, with who
 * may use it. A route or policy entry missing from these tables fails the test, so nothing new ships
 * without someone deciding who may use it.
 */
const CORE_ROUTES: Record<string, Expectation> = {
  'GET /healthz': { who: EVERYONE },
  'GET /static/:file': { who: EVERYONE, sample: ':asset' },
  'GET /api/v1/lieux/export': { who: EVERYONE },
  'GET /api/v1/openapi.json': { who: EVERYONE },
  'GET /api/v1/lieux': { who: EVERYONE },
  'GET /api/v1/lieux/:id': { who: EVERYONE, sample: '/api/v1/lieux/:place' },
  'GET /': { who: EVERYONE },
  'GET /recherche': { who: EVERYONE },
  'GET /recherche/filtres': { who: EVERYONE },
  'GET /embed': { who: EVERYONE },
  'GET /lieux/:id': { who: EVERYONE, sample: '/lieux/:place' },
  'GET /lieux/:id/signaler': { who: EVERYONE, sample: '/lieux/:place/signaler' },
  'POST /lieux/:id/signaler': { who: EVERYONE, sample: '/lieux/:place/signaler' },
  'GET /preferences': { who: EVERYONE },
  'POST /preferences': { who: EVERYONE },
  'GET /accessibilite': { who: EVERYONE },
  'GET /mentions-legales': { who: EVERYONE },
  'GET /donnees-personnelles': { who: EVERYONE },
  'GET /lieux': { who: EVERYONE },
  // Issue 5 §4: the import reports and the data-quality page are for coordinators only.
  'GET /imports/:id/rapport.json': { who: COORDINATOR, sample: '/imports/:import/rapport.json' },
  'GET /imports/:id/rapport.csv': { who: COORDINATOR, sample: '/imports/:import/rapport.csv' },
  'GET /qualite': { who: COORDINATOR },
  'GET /couverture': { who: EVERYONE },
  'GET /couverture/reseau': { who: COORDINATOR },
  'GET /couverture.geojson': { who: EVERYONE },
  'GET /couverture.csv': { who: EVERYONE },
  'GET /couverture/methode': { who: EVERYONE },
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
const CORE_FUNCTIONS: Record<string, readonly Role[]> = {
  createCoordinator: NOBODY,
  listAccounts: COORDINATOR,
  inviteToStructure: STRUCTURE_ADMINS,
  acceptInvitation: EVERYONE,
  signInWithPassword: EVERYONE,
  requestSignInLink: EVERYONE,
  signInWithLink: EVERYONE,
  verifySecondFactor: EVERYONE,
  requestPasswordReset: EVERYONE,
  resetPassword: EVERYONE,
  startTotpEnrolment: SIGNED_IN,
  confirmTotpEnrolment: SIGNED_IN,
  signOutEverywhere: SIGNED_IN,
  exportMyData: SIGNED_IN,
  deleteMyAccount: SIGNED_IN,
  listDemoOutbox: COORDINATOR,
  demoTotpCode: NOBODY,
  listStructureMembers: STRUCTURE_MEMBERS,
  analyseNetworkCoverage: COORDINATOR,
  importCoverageWeights: COORDINATOR,
};

const ROUTES: Record<string, Expectation> = Object.assign({}, CORE_ROUTES, ...DOMAINS.map((d) => d.routes));
const FUNCTIONS: Record<string, readonly Role[]> = Object.assign(
  {},
  CORE_FUNCTIONS,
  ...DOMAINS.map((d) => d.functions),
);

/**
 * Policy entries with no service function yet (none today: `listStructureMembers` is now a service of
 * src/structures). A new entry here must be emptied as soon as its service appears.
 */
const NOT_YET_A_SERVICE = new Set<string>([]);

const DEMO_EMAILS: Record<Exclude<Role, 'anonymous'>, string> = {
  coordinator: 'coordination.demo@example.org',
  funder: 'financeur.demo@example.org',
  structure_admin: 'admin.demo@example.org',
  staff: 'mediation.demo@example.org',
  other_structure: 'autre-structure.demo@example.org',
};

function routeKeys(app: ReturnType<typeof testApp>): string[] {
  // Middleware is registered as ALL; handlers carry their method.
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
}

function outcome(res: Response): 'allow' | 'deny' | number {
  const location = res.headers.get('Location') ?? '';
  if (res.status === 401 || res.status === 403) return 'deny';
  if (res.status >= 300 && res.status < 400 && /^\/connexion(\?|$)/.test(location)) return 'deny';
  if (res.status >= 200 && res.status < 400) return 'allow';
  return res.status;
}

after(closeTestTemplate);

describe('the authorisation matrix', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  const samples: Record<string, string> = {};
  before(async () => {
    t = await createTestDb();
    await seedDemoIfFresh(t.db);
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    const place = (await listAllPlaces(t.db))[0];
    const placeImport = (await listPlaceImports(t.db))[0];
    const asset = [...ASSETS.keys()][0];
    assert.ok(place && placeImport && asset, 'demo data has a place, an import and an asset');
    samples[':place'] = place.id;
    samples[':import'] = placeImport.id;
    samples[':asset'] = asset;
    const structure = await t.db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', DEMO_EMAILS.structure_admin)
      .executeTakeFirstOrThrow();
    samples[':structure'] = structure.structure_id;
    for (const domain of DOMAINS) Object.assign(samples, await domain.samples?.(t.db));
  });
  after(async () => {
    await t.close();
  });

  const pathOf = (key: string): string => {
    const expectation = ROUTES[key];
    const pattern = key.split(' ')[1] ?? '';
    const path = (expectation?.sample ?? pattern).replace(/:[a-z]+\b/g, (m) => samples[m] ?? m);
    assert.ok(!/\/:/.test(path), `${key}: give a sample path in the expectation table`);
    return path;
  };

  it('decides who may use every route of the app, and lists no route that does not exist', () => {
    const keys = routeKeys(app);
    const missing = keys.filter((k) => !(k in ROUTES));
    assert.deepEqual(missing, [], 'routes without a decision in the authorisation matrix');
    const stale = Object.keys(ROUTES).filter((k) => !keys.includes(k));
    assert.deepEqual(stale, [], 'entries of the matrix for routes that no longer exist');
  });

  it('serves each GET route to the roles allowed and refuses it to the others', async () => {
    const browsers = new Map<Role, CookieBrowser>();
    for (const role of ROLES) {
      const b = cookieBrowser(app);
      if (role !== 'anonymous') await b.signIn(DEMO_EMAILS[role]);
      browsers.set(role, b);
    }
    const wrong: string[] = [];
    for (const key of routeKeys(app).filter((k) => k.startsWith('GET '))) {
      const expectation = ROUTES[key];
      assert.ok(expectation);
      const path = pathOf(key);
      for (const role of ROLES) {
        const res = await browsers.get(role)?.request(path);
        assert.ok(res);
        await res.arrayBuffer();
        const allowed = expectation.who.includes(role);
        const expected = allowed ? (expectation.status ?? 'allow') : 'deny';
        const got = outcome(res);
        if (got !== expected) wrong.push(`${key} as ${role}: expected ${expected}, got ${res.status}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('refuses every POST route to an anonymous visitor without a CSRF token (403)', async () => {
    const wrong: string[] = [];
    for (const key of routeKeys(app).filter((k) => k.startsWith('POST '))) {
      const res = await app.request(pathOf(key), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'email=personne%40example.org',
      });
      if (res.status !== 403) wrong.push(`${key}: ${res.status}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('the policy module', () => {
  const KNOWN_RULES: readonly Rule[] = [
    'anyone',
    'system',
    'self',
    'coordinator',
    'structure_admin',
    'structure_member',
    'structure_member_only',
    'any_member',
  ];
  const STRUCTURE = 'structure-0';
  const OTHER = 'structure-1';
  const person = (
    networkRole: 'coordinator' | 'funder' | null,
    memberships: { structureId: string; role: 'structure_admin' | 'staff' }[] = [],
  ): Actor => ({ kind: 'person', personId: 'p', networkRole, memberships });
  const ACTORS: Record<Role, Actor> = {
    anonymous: { kind: 'anonymous' },
    coordinator: person('coordinator'),
    funder: person('funder'),
    structure_admin: person(null, [{ structureId: STRUCTURE, role: 'structure_admin' }]),
    staff: person(null, [{ structureId: STRUCTURE, role: 'staff' }]),
    other_structure: person(null, [{ structureId: OTHER, role: 'structure_admin' }]),
  };
  const functions = Object.keys(POLICY) as PolicyFunction[];

  it('uses only known rules, and every entry is decided in the matrix', () => {
    for (const fn of functions) assert.ok(KNOWN_RULES.includes(POLICY[fn]), `${fn}: ${POLICY[fn]}`);
    assert.deepEqual(
      functions.filter((fn) => !(fn in FUNCTIONS)),
      [],
      'policy functions without a decision',
    );
    assert.deepEqual(
      Object.keys(FUNCTIONS).filter((fn) => !(fn in POLICY)),
      [],
      'matrix entries no longer in the policy',
    );
  });

  it('names only functions that a service exports', () => {
    const services: Record<string, unknown> = Object.assign(
      { ...accountsService, ...coverageService },
      ...DOMAINS.flatMap((d) => d.services),
    );
    for (const fn of functions) {
      if (NOT_YET_A_SERVICE.has(fn)) assert.equal(typeof services[fn], 'undefined', `${fn} is now a service`);
      else assert.equal(typeof services[fn], 'function', `${fn} is not an exported service function`);
    }
  });

  it('lets each role call exactly the functions of the matrix (for the structure concerned)', () => {
    const wrong: string[] = [];
    for (const fn of functions) {
      for (const role of ROLES) {
        const expected = FUNCTIONS[fn]?.includes(role) ?? false;
        if (can(ACTORS[role], fn, { structureId: STRUCTURE }) !== expected)
          wrong.push(`${fn} as ${role}: expected ${expected ? 'allowed' : 'refused'}`);
      }
      // The command line may do everything except acting "as oneself".
      assert.equal(can({ kind: 'system' }, fn), POLICY[fn] !== 'self', `${fn} from the command line`);
    }
    assert.deepEqual(wrong, []);
  });
});
