import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { access as activitiesAccess } from '../../test/authorization/activities.ts';
import { access as apiTokensAccess } from '../../test/authorization/api-tokens.ts';
import {
  DEMO_EMAILS,
  DOMAINS,
  FUNCTIONS,
  matrixSamples,
  NOT_YET_A_SERVICE,
  outcome,
  ROUTES,
  routeKeys,
  samplePath,
} from '../../test/authorization/matrix.ts';
import { access as moderationAccess } from '../../test/authorization/moderation.ts';
import { access as passDashboardsAccess } from '../../test/authorization/pass-dashboards.ts';
import { access as passPlacesAccess } from '../../test/authorization/pass-places.ts';
import { access as referralsAccess } from '../../test/authorization/referrals.ts';
import { ROLES, type Role } from '../../test/authorization/roles.ts';
import { access as vouchersAccess } from '../../test/authorization/vouchers.ts';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser, restoreDemoMemberships } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import * as accountsService from './accounts.service.ts';
import { type Actor, can, POLICY, type PolicyFunction, type Rule } from './policy.ts';
import * as secondFactorService from './second-factor.service.ts';
import * as sessionsService from './sessions.service.ts';
import * as signInService from './sign-in.service.ts';

/**
 * The authorisation matrix: every route of the app and every function of the policy module, with who
 * may use it (tables in test/authorization/). A route or policy entry missing from these tables fails
 * the test, so nothing new ships without someone deciding who may use it.
 */
after(closeTestTemplate);

describe('the authorisation matrix', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  const samples: Record<string, string> = {};
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    Object.assign(samples, await matrixSamples(t.db));
  });
  after(async () => {
    await t.close();
  });

  const pathOf = (key: string): string => samplePath(key, samples);

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

  it('lets each role POST to exactly the routes of the matrix, with a valid CSRF token', async () => {
    // A fresh session for each request (a route may end it), the demo memberships restored after each
    // one (a route may remove a member); deleting one's account last.
    const posts = routeKeys(app)
      .filter((k) => k.startsWith('POST '))
      .sort((a, b) => Number(a === 'POST /compte/supprimer') - Number(b === 'POST /compte/supprimer'));
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const key of posts) {
        const b =
          role === 'anonymous' ? cookieBrowser(app) : await demoSessionBrowser(app, t.db, DEMO_EMAILS[role]);
        const csrf = await b.csrf(role === 'anonymous' ? '/connexion' : '/compte');
        assert.ok(csrf, `a CSRF token for ${role}`);
        const res = await b.request(pathOf(key), { form: { _csrf: csrf } });
        await res.arrayBuffer();
        await restoreDemoMemberships(t.db);
        const got = res.status >= 500 ? res.status : outcome(res) === 'deny' ? 'deny' : 'allow';
        const expected = ROUTES[key]?.who.includes(role) ? 'allow' : 'deny';
        if (got !== expected) wrong.push(`${key} as ${role}: expected ${expected}, got ${res.status}`);
      }
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
    'structure_admin_only',
    'structure_member',
    'structure_member_only',
    'any_member',
    'funder_member',
    'funder_member_only',
    'network_person',
    'volunteer',
  ];
  const STRUCTURE = 'structure-0';
  const OTHER = 'structure-1';
  const FUNDER = 'funder-0';
  const person = (
    networkRole: 'coordinator' | 'funder' | 'volunteer' | null,
    memberships: { structureId: string; role: 'structure_admin' | 'staff' }[] = [],
    funderIds: string[] = [],
  ): Actor => ({ kind: 'person', personId: 'p', networkRole, memberships, funderIds });
  const ACTORS: Record<Role, Actor> = {
    anonymous: { kind: 'anonymous' },
    coordinator: person('coordinator'),
    funder: person('funder', [], [FUNDER]),
    structure_admin: person(null, [{ structureId: STRUCTURE, role: 'structure_admin' }]),
    staff: person(null, [{ structureId: STRUCTURE, role: 'staff' }]),
    other_structure: person(null, [{ structureId: OTHER, role: 'structure_admin' }]),
    volunteer: person('volunteer'),
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
      {
        ...accountsService,
        ...sessionsService,
        ...signInService,
        ...secondFactorService,
      },
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
        if (can(ACTORS[role], fn, { structureId: STRUCTURE, funderId: FUNDER }) !== expected)
          wrong.push(`${fn} as ${role}: expected ${expected ? 'allowed' : 'refused'}`);
      }
      // The command line may do everything except acting "as oneself".
      assert.equal(can({ kind: 'system' }, fn), POLICY[fn] !== 'self', `${fn} from the command line`);
    }
    assert.deepEqual(wrong, []);
  });

  it("refuses a funder's page to the people of another funder, and to a funder role without one", () => {
    const otherFunder = person('funder', [], ['funder-1']);
    const noFunder = person('funder');
    for (const fn of ['viewFunder', 'funderFigures'] as const) {
      assert.equal(can(ACTORS.funder, fn, { funderId: FUNDER }), true, fn);
      assert.equal(can(otherFunder, fn, { funderId: FUNDER }), false, `${fn}: another funder`);
      assert.equal(can(noFunder, fn, { funderId: FUNDER }), false, `${fn}: no funder`);
      assert.equal(can(ACTORS.funder, fn), false, `${fn}: no funder named`);
    }
  });

  it('lets a volunteer call no orientation, activity, voucher or moderation function, nor see a beneficiary', () => {
    // Decision 0044: beyond what an anonymous visitor may (a mailed link's holder, public figures), a
    // volunteer reaches nothing of these domains, whatever the structure or funder named.
    const sensitive = [
      referralsAccess,
      activitiesAccess,
      apiTokensAccess,
      vouchersAccess,
      passPlacesAccess,
      passDashboardsAccess,
      moderationAccess,
    ];
    const scopes = [{}, { structureId: STRUCTURE }, { structureId: OTHER }, { funderId: FUNDER }];
    const reached: string[] = [];
    for (const domain of sensitive)
      for (const fn of Object.keys(domain.functions) as PolicyFunction[])
        for (const scope of scopes)
          if (can(ACTORS.volunteer, fn, scope) && !can(ACTORS.anonymous, fn, scope)) reached.push(fn);
    assert.deepEqual(reached, []);
    const routes = sensitive.flatMap((d) =>
      Object.entries(d.routes)
        .filter(([, e]) => e.who.includes('volunteer') && !e.who.includes('anonymous'))
        .map(([k]) => k),
    );
    assert.deepEqual(routes, [], 'routes of these domains open to a volunteer');
    const beneficiaries = functions.filter((fn) => /Beneficiar|Parcours|Orientation|Activit/.test(fn));
    assert.ok(beneficiaries.length > 10);
    for (const fn of beneficiaries)
      for (const scope of scopes)
        assert.equal(
          can(ACTORS.volunteer, fn, scope) && !can(ACTORS.anonymous, fn, scope),
          false,
          `${fn} for a volunteer`,
        );
    // What a volunteer may call beyond anybody: their own account (rule `self`) and their volunteering.
    const beyond = functions.filter(
      (fn) => can(ACTORS.volunteer, fn, { structureId: STRUCTURE }) && POLICY[fn] !== 'anyone',
    );
    assert.deepEqual(
      beyond.filter((fn) => POLICY[fn] !== 'self' && POLICY[fn] !== 'volunteer'),
      [],
    );
    assert.equal(can(ACTORS.volunteer, 'listProgrammes'), false, 'the programmes of the pass numérique');
  });
});
