import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoWithoutRecords, pageText as text } from '../../test/support/activity-pages.ts';
import type { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { actorOf, demoStructurePlace } from '../../test/support/pass-fixtures.ts';
import { closeTestTemplate, type TestDb } from '../../test/support/test-db.ts';
import { recordActivity } from './activities.service.ts';
import { BENEFICIARY_MESSAGES as M, RETENTION_WORDS } from './beneficiaries.ts';

after(closeTestTemplate);

describe('followed persons over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let staff: CookieBrowser;
  let structureId: string;
  let ours: string;
  let theirs: string;
  before(async () => {
    ({ t, app } = await demoWithoutRecords());
    staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    const demo = await demoStructurePlace(t.db);
    structureId = demo.structureId;
    const record = async (email: string) => {
      const actor = await actorOf(t.db, email);
      const sid = actor.kind === 'person' ? (actor.memberships[0]?.structureId ?? '') : '';
      const r = await recordActivity(t.db, actor, {
        structureId: sid,
        values: {
          kind: 'individuel',
          date: '2026-01-12',
          duration: '45',
          placeKind: 'a_distance',
          themes: ['email'],
        },
      });
      assert.ok(r.ok, JSON.stringify(r));
      return r.activityId;
    };
    ours = await record('mediation.demo@example.org');
    theirs = await record('autre-structure.demo@example.org');
  });
  after(async () => {
    await t.close();
  });

  const create = async (form: Record<string, string>) => {
    const csrf = await staff.csrf('/activites/personnes/nouvelle');
    const res = await staff.request('/activites/personnes/nouvelle', {
      form: { _csrf: csrf, structure: structureId, ...form },
    });
    return { res, html: text(await res.text()) };
  };

  it('names a person on a form that says why and for how long, refusing bad input with what was typed', async () => {
    const list = await staff.page('/activites/personnes');
    assert.equal(list.res.status, 200);
    assert.equal(list.res.headers.get('Cache-Control'), 'no-store');
    assert.equal(list.res.headers.get('Referrer-Policy'), 'no-referrer');
    assert.match(list.html, /Aucune personne suivie/);
    const form = text((await staff.page('/activites/personnes/nouvelle')).html);
    assert.ok(form.includes(RETENTION_WORDS));
    assert.match(form, /aria-describedby="pourquoi"/);
    const bad = await create({ firstName: ' ', phone: '0612', email: 'jean@', lastName: 'Martin' });
    assert.equal(bad.res.status, 422);
    assert.match(bad.html, new RegExp(M.firstNameRequired));
    assert.match(bad.html, /Le numéro « 0612 » n’est pas un numéro français/);
    assert.match(bad.html, /L’adresse « jean@ » n’est pas une adresse e-mail/);
    assert.ok(bad.html.includes(M.consentRequired));
    assert.match(bad.html, /id="lastName" name="lastName" type="text" value="Martin"/);
    assert.match(bad.html, /href="#firstName"/);
    const weird = await create({
      firstName: 'A',
      gender: 'x'.repeat(500),
      ageBand: '\u0001',
      consent: 'oui',
    });
    assert.equal(weird.res.status, 422);

    const ok = await create({
      firstName: 'Josiane',
      lastName: 'Martin',
      phone: '06 12 34 56 78',
      gender: 'feminin',
      ageBand: 'soixante_dix_plus',
      socialStatus: 'retraite',
      communeCode: '45234',
      consent: 'oui',
    });
    assert.equal(ok.res.status, 303, ok.html);
    const location = ok.res.headers.get('Location') ?? '';
    assert.match(location, /^\/activites\/personnes\/[0-9a-f-]{36}\?fait=cree$/);
    const page = text((await staff.page(location)).html);
    assert.match(page, /<h1>Josiane Martin<\/h1>/);
    assert.match(page, /06 12 34 56 78/);
    assert.match(page, /La personne suivie est enregistrée/);
    const listed = text((await staff.page('/activites/personnes')).html);
    assert.match(listed, /Josiane Martin/);
  });

  it('links one of the structure’s records (first time), refuses another structure’s, unlinks, erases on confirmation', async () => {
    const r = await create({ firstName: 'Marcel', consent: 'oui' });
    const path = (r.res.headers.get('Location') ?? '').split('?')[0] as string;
    const before = text((await staff.page(path)).html);
    assert.match(before, new RegExp(`<option value="${ours}">`));
    assert.doesNotMatch(before, new RegExp(theirs));
    const link = async (form: Record<string, string>) => {
      const csrf = await staff.csrf(path);
      const res = await staff.request(`${path}/activites`, { form: { _csrf: csrf, ...form } });
      return { res, html: text(await res.text()) };
    };
    for (const activityId of [theirs, 'pas-un-id', '00000000-0000-4000-8000-000000000000']) {
      const refused = await link({ activityId });
      assert.equal(refused.res.status, 422, activityId);
      assert.ok(refused.html.includes(M.activityNotOurs));
    }
    assert.equal((await link({ activityId: '' })).res.status, 422);
    const linked = await link({ activityId: ours, firstTime: 'oui' });
    assert.equal(linked.res.status, 303);
    assert.equal(linked.res.headers.get('Location'), `${path}?fait=lie`);
    const after = text((await staff.page(path)).html);
    assert.match(
      after,
      /12 janvier 2026 — Accompagnement individuel — 45 min — E-mail<strong> — premier accompagnement/,
    );
    assert.match(after, /Toutes les activités récentes de la structure sont déjà liées/);
    const again = await link({ activityId: ours });
    assert.equal(again.res.status, 422);
    assert.ok(again.html.includes(M.alreadyLinked));

    const csrf = await staff.csrf(path);
    const unlinked = await staff.request(`${path}/activites/${ours}/retirer`, { form: { _csrf: csrf } });
    assert.equal(unlinked.status, 303);
    const twice = await staff.request(`${path}/activites/${ours}/retirer`, { form: { _csrf: csrf } });
    assert.equal(twice.status, 422);
    const odd = await staff.request(`${path}/activites/n'importe/retirer`, { form: { _csrf: csrf } });
    assert.equal(odd.status, 422);

    const unconfirmed = await staff.request(`${path}/effacer`, { form: { _csrf: csrf } });
    assert.equal(unconfirmed.status, 422);
    assert.ok(text(await unconfirmed.text()).includes(M.confirmRequired));
    const erased = await staff.request(`${path}/effacer`, { form: { _csrf: csrf, confirm: 'oui' } });
    assert.equal(erased.status, 303);
    assert.equal(erased.headers.get('Location'), `/activites/personnes?structure=${structureId}&fait=efface`);
    assert.equal((await staff.request(path)).status, 403);
    assert.equal(
      Number(
        (
          await t.db
            .selectFrom('activity')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('id', '=', ours)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      1,
      'the record stays',
    );
  });

  it('refuses anyone outside the structure, and an unknown or malformed id, with the same 403 page', async () => {
    const r = await create({ firstName: 'Paulette', consent: 'oui' });
    const path = (r.res.headers.get('Location') ?? '').split('?')[0] as string;
    for (const email of [
      'autre-structure.demo@example.org',
      'coordination.demo@example.org',
      'financeur.demo@example.org',
    ]) {
      const b = await demoSessionBrowser(app, t.db, email);
      const res = await b.request(path);
      assert.equal(res.status, 403, email);
      assert.doesNotMatch(await res.text(), /Paulette/);
      const csrf = await b.csrf('/compte');
      for (const action of ['/effacer', '/activites'])
        assert.equal(
          (await b.request(`${path}${action}`, { form: { _csrf: csrf, confirm: 'oui', activityId: theirs } }))
            .status,
          403,
          `${email} ${action}`,
        );
      const list = await b.request(`/activites/personnes?structure=${structureId}`);
      assert.equal(list.status, 403, `${email} list`);
      const newForm = await b.request(`/activites/personnes/nouvelle?structure=${structureId}`);
      assert.equal(newForm.status, 403, `${email} new`);
      const posted = await b.request('/activites/personnes/nouvelle', {
        form: { _csrf: csrf, structure: structureId, firstName: 'X', consent: 'oui' },
      });
      assert.equal(posted.status, 403, `${email} post new`);
    }
    for (const id of ['00000000-0000-4000-8000-000000000000', 'abc', 'x'.repeat(300)])
      assert.equal((await staff.request(`/activites/personnes/${id}`)).status, 403, id);
    // A control character is refused before any page (the app's input cleaning): a 4xx all the same.
    assert.equal((await staff.request('/activites/personnes/%00')).status, 400);
    // Another structure's own list is theirs, and does not show ours.
    const other = await demoSessionBrowser(app, t.db, 'autre-structure.demo@example.org');
    const theirList = await other.page('/activites/personnes');
    assert.equal(theirList.res.status, 200);
    assert.doesNotMatch(theirList.html, /Paulette/);
  });
});
