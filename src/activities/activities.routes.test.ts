import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orientationTo } from '../../test/support/activity-fixtures.ts';
import { demoWithoutRecords, pageText as text } from '../../test/support/activity-pages.ts';
import type { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import {
  actorOf,
  demoStructurePlace,
  handOver,
  setUpPassProgramme,
} from '../../test/support/pass-fixtures.ts';
import { closeTestTemplate, type TestDb } from '../../test/support/test-db.ts';
import { localToday } from '../places/place-dates.ts';
import { cancelRedemption, redeemVoucher } from '../vouchers/redemptions.service.ts';
import { themesOfNeeds } from './need-themes.ts';

after(closeTestTemplate);

describe("a structure's activity records over HTTP", () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let staff: CookieBrowser;
  let other: CookieBrowser;
  let structureId = '';
  let placeId = '';
  const today = localToday(new Date());
  const count = async () =>
    Number(
      (await t.db.selectFrom('activity').select(t.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow())
        .n,
    );

  before(async () => {
    ({ t, app } = await demoWithoutRecords());
    staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    other = await demoSessionBrowser(app, t.db, 'autre-structure.demo@example.org');
    ({ structureId, placeId } = await demoStructurePlace(t.db));
  });
  after(async () => {
    await t.close();
  });

  /** Posts the form of `from` with the fields given, as the page would send them. */
  const send = async (
    fields: Record<string, string | string[]>,
    from = '/activites/nouveau',
    who = staff,
  ) => {
    const { html } = await who.page(from);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '/activites/nouveau';
    const res = await who.request(text(action), { form: { _csrf: csrf, ...fields } });
    return { res, html: text(await res.text()) };
  };
  const accompaniment = (over: Record<string, string | string[]> = {}) => ({
    date: today,
    duration: '30',
    lieu: `lieu:${placeId}`,
    themes: ['email'],
    ...over,
  });

  it('explains in French to who keeps no record why the pages are not theirs, and sends visitors to sign in', async () => {
    for (const email of ['coordination.demo@example.org', 'financeur.demo@example.org']) {
      const b = await demoSessionBrowser(app, t.db, email);
      for (const path of ['/activites', '/activites/nouveau', '/activites/nouveau?type=collectif']) {
        const { res, html } = await b.page(path);
        assert.equal(res.status, 403, `${email} ${path}`);
        assert.match(text(html), /Vous ne faites partie d’aucune structure/);
      }
    }
    const anonymous = cookieBrowser(app);
    const res = await anonymous.request('/activites');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('Location'), '/connexion');
    // Another structure asked for in the address: refused, in French.
    const { res: asked, html } = await staff.page(`/activites?structure=${crypto.randomUUID()}`);
    assert.equal(asked.status, 403);
    assert.match(text(html), /Vous ne faites pas partie de cette structure/);
    assert.equal((await staff.request('/activites?structure=pas-un-id')).status, 403);
  });

  it('offers the fast form: today, 30 minutes, the structure’s places, the rare fields folded away', async () => {
    const { res, html } = await staff.page('/activites/nouveau');
    assert.equal(res.status, 200);
    assert.match(html, new RegExp(`name="date" type="date" value="${today}"`));
    assert.match(html, /id="duree-30" name="duration" value="30" checked=""/);
    assert.match(html, new RegExp(`value="lieu:${placeId}"`));
    assert.match(html, /<summary>Plus de précisions/);
    assert.match(html, /<details class="more-fields">/, 'folded when nothing is in it');
    assert.match(text(html), /<summary>Démarches administratives : préciser le domaine<\/summary>/);
    assert.match(text(html), /ne comptent qu’avec « Aide aux démarches administratives »/);
    const workshop = text((await staff.page('/activites/nouveau?type=collectif')).html);
    assert.match(workshop, /Enregistrer un atelier collectif/);
    assert.match(workshop, /name="participantsTotal"/);
    assert.match(workshop, /name="pg_feminin"/);
  });

  it('records an accompaniment (Post/Redirect/Get), lists it, shows it, and starts the next one from it', async () => {
    const before = await count();
    const { res } = await send(
      accompaniment({
        themes: ['email', 'navigation_sur_internet'],
        equipment: ['telephone'],
        duration: '45',
      }),
    );
    assert.equal(res.status, 303);
    const location = res.headers.get('Location') ?? '';
    assert.match(location, /^\/activites\?fait=individuel&activite=[0-9a-f-]{36}$/);
    assert.equal(await count(), before + 1);
    const id = /activite=([0-9a-f-]{36})/.exec(location)?.[1] ?? '';
    const list = text((await staff.page(location)).html);
    assert.match(list, /L’accompagnement est enregistré\./);
    assert.match(list, new RegExp(`href="/activites/${id}"`));
    assert.match(list, /45 min · 1 personne/);
    assert.match(list, /Thématiques : E-mail, Navigation sur internet/);
    const detail = await staff.page(`/activites/${id}`);
    assert.equal(detail.res.status, 200);
    assert.match(text(detail.html), /Matériel<\/dt><dd>Téléphone/);
    // The next form starts from this one: its duration, themes and equipment.
    const next = (await staff.page('/activites/nouveau')).html;
    assert.match(next, /id="duree-45" name="duration" value="45" checked=""/);
    assert.match(
      next,
      /id="theme-navigation_sur_internet" name="themes" value="navigation_sur_internet" checked=""/,
    );
    assert.match(next, /id="materiel-telephone" name="equipment" value="telephone" checked=""/);
    // Filters: the month and the kind.
    const month = today.slice(0, 7);
    assert.match(text((await staff.page(`/activites?mois=${month}&type=individuel`)).html), /45 min/);
    assert.match(
      text((await staff.page(`/activites?mois=${month}&type=collectif`)).html),
      /Aucune activité ne correspond à ces filtres/,
    );
    assert.equal((await staff.request('/activites?mois=2026-13&type=x&page=-4')).status, 200);
  });

  it('refuses bad input with a French message next to the field, keeps what was typed, writes nothing', async () => {
    const before = await count();
    const cases: [Record<string, string | string[]>, RegExp, string?][] = [
      [accompaniment({ duration: '0' }), /La durée doit être d’au moins 1 minute/],
      [accompaniment({ duration: '1440' }), /dépasse 23 h 59/],
      [accompaniment({ duration: 'personnaliser', durationHours: '24' }), /heures .* vont de 0 à 23/],
      [accompaniment({ date: '2099-01-01' }), /est dans le futur/],
      [accompaniment({ date: 'demain' }), /n’est pas une date/],
      [accompaniment({ themes: ['logement'] }), /ne vont qu’avec « Aide aux démarches administratives »/],
      [accompaniment({ themes: [] }), /Choisissez au moins une thématique/],
      [accompaniment({ lieu: 'domicile' }), /Indiquez la commune/],
      [
        accompaniment({ lieu: 'domicile', communeCode: 'Zzyzxville' }),
        /La commune « Zzyzxville » est introuvable/,
      ],
      [accompaniment({ lieu: 'domicile', communeCode: '99999' }), /est introuvable/],
      [accompaniment({ lieu: `lieu:${crypto.randomUUID()}` }), /Ce lieu n’existe pas/],
      [accompaniment({ orientationId: 'pas-un-id' }), /orientation liée n’existe pas/],
      [accompaniment({ voucherEntryId: '-3' }), /encaissement de pass numérique lié n’existe pas/],
      [accompaniment({ oriented: 'peut-être' }), /oui ou non/],
    ];
    for (const [fields, message] of cases) {
      const { res, html } = await send(fields);
      assert.equal(res.status, 422, JSON.stringify(fields));
      assert.match(html, /class="error-summary"/);
      assert.match(html, message, JSON.stringify(fields));
      assert.match(html, /class="field-error"/);
    }
    // What was typed stays: the themes checked, the commune written.
    const { html } = await send(
      accompaniment({ lieu: 'domicile', communeCode: 'Zzyzxville', themes: ['email'] }),
    );
    assert.match(html, /name="communeCode" type="text" value="Zzyzxville"/);
    assert.match(html, /id="theme-email" name="themes" value="email" checked=""/);
    // The rare fields' errors open "Plus de précisions".
    const oriented = await send(accompaniment({ oriented: 'peut-être' }));
    assert.match(oriented.html, /<details class="more-fields" open="">/);
    // A workshop whose counts do not add up.
    const workshop = await send(
      {
        date: today,
        duration: '120',
        lieu: `lieu:${placeId}`,
        themes: ['culture_numerique'],
        participantsTotal: '5',
        pg_feminin: '4',
        pg_masculin: '3',
      },
      '/activites/nouveau?type=collectif',
    );
    assert.equal(workshop.res.status, 422);
    assert.match(workshop.html, /Genre : la somme \(7\) dépasse le nombre de participants \(5\)/);
    assert.match(workshop.html, /name="pg_feminin" value="4"/);
    assert.equal(await count(), before, 'nothing written');
  });

  it('accepts a commune by its name or postcode, and records a workshop whose counts add up', async () => {
    const home = await send(accompaniment({ lieu: 'domicile', communeCode: 'Saran' }));
    assert.equal(home.res.status, 303);
    const id = /activite=([0-9a-f-]{36})/.exec(home.res.headers.get('Location') ?? '')?.[1] ?? '';
    assert.match(text((await staff.page(`/activites/${id}`)).html), /À domicile : Saran \(45302\)/);
    const workshop = await send(
      {
        workshopTitle: 'Premiers pas sur la tablette',
        date: today,
        duration: '120',
        lieu: `lieu:${placeId}`,
        themes: ['prendre_en_main_du_materiel'],
        workshopLevel: 'debutant',
        participantsTotal: '6',
        participantsAlreadyAccompanied: '2',
        pg_feminin: '4',
        pg_masculin: '1',
        pa_soixante_dix_plus: '3',
      },
      '/activites/nouveau?type=collectif',
    );
    assert.equal(workshop.res.status, 303);
    assert.match(workshop.res.headers.get('Location') ?? '', /fait=collectif/);
    const wid = /activite=([0-9a-f-]{36})/.exec(workshop.res.headers.get('Location') ?? '')?.[1] ?? '';
    const shown = text((await staff.page(`/activites/${wid}`)).html);
    assert.match(shown, /Premiers pas sur la tablette/);
    assert.match(shown, /6, dont 2 déjà accompagnés/);
    assert.match(shown, /Féminin : 4, Non communiqué : 1/);
  });

  it('shows a record to its structure’s staff only: another structure’s id and an unknown id alike, a malformed one 404', async () => {
    const { res } = await send(accompaniment());
    const id = /activite=([0-9a-f-]{36})/.exec(res.headers.get('Location') ?? '')?.[1] ?? '';
    const theirs = await other.page(`/activites/${id}`);
    const unknown = await other.page(`/activites/${crypto.randomUUID()}`);
    assert.equal(theirs.res.status, 403);
    assert.equal(unknown.res.status, 403);
    assert.equal(
      theirs.html.replace(/name="_csrf" value="[^"]+"/g, ''),
      unknown.html.replace(/name="_csrf" value="[^"]+"/g, ''),
    );
    const coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
    assert.equal((await coordinator.request(`/activites/${id}`)).status, 403);
    assert.equal((await staff.request('/activites/pas-un-id')).status, 404);
    // Another structure's staff see their own (empty) list, not this one.
    assert.doesNotMatch(text((await other.page('/activites')).html), new RegExp(id));
  });

  it('records the accompaniment of an orientation closed as "came", and refuses one not closed so or not ours', async () => {
    // Sent by the other structure to ours; accepted and closed as "came" through the pages.
    const o = await orientationTo(t.db, {
      from: 'autre-structure.demo@example.org',
      to: 'mediation.demo@example.org',
      state: 'accepted',
    });
    const page = await staff.page(`/orientations/${o.id}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    const closed = await staff.request(`/orientations/${o.id}/cloture`, {
      form: { _csrf: csrf, outcome: 'came' },
    });
    assert.equal(closed.status, 303);
    const after = text((await staff.page(closed.headers.get('Location') ?? '')).html);
    const link = `/activites/nouveau?orientation=${o.id}&structure=${structureId}`;
    assert.ok(after.includes(`href="${link}"`), 'the closed orientation offers to record');
    assert.match(after, /Enregistrer l’accompagnement/);
    const form = text((await staff.page(link)).html);
    assert.match(form, new RegExp(`name="orientationId" value="${o.id}"`));
    // The orientation's need checks its themes.
    const themes = themesOfNeeds(o.needs);
    assert.ok(themes.length > 0, `the need ${o.needs.join()} has themes`);
    for (const theme of themes)
      assert.match(form, new RegExp(`id="theme-${theme}" name="themes" value="${theme}" checked=""`));
    const { res } = await send(
      { date: today, duration: '30', lieu: `lieu:${o.placeId}`, themes, orientationId: o.id },
      link,
    );
    assert.equal(res.status, 303);
    const row = await t.db
      .selectFrom('activity')
      .select(['orientation_id'])
      .where('orientation_id', '=', o.id)
      .executeTakeFirst();
    assert.equal(row?.orientation_id, o.id);

    // Not closed as "came": refused, saying so.
    const open = await orientationTo(t.db, {
      from: 'autre-structure.demo@example.org',
      to: 'mediation.demo@example.org',
      state: 'accepted',
    });
    const notCame = await send(accompaniment({ orientationId: open.id }));
    assert.equal(notCame.res.status, 422);
    assert.match(notCame.html, /n’est pas clôturée avec « la personne est venue »/);
    // Received by another structure: refused like an unknown one.
    const theirs = await orientationTo(t.db, {
      from: 'mediation.demo@example.org',
      to: 'autre-structure.demo@example.org',
      state: 'came',
    });
    for (const id of [theirs.id, crypto.randomUUID()]) {
      const refused = await send(accompaniment({ orientationId: id }));
      assert.equal(refused.res.status, 422);
      assert.match(refused.html, /n’existe pas ou n’a pas été reçue par votre structure/);
    }
    // Its form does not carry the link.
    const theirForm = text((await staff.page(`/activites/nouveau?orientation=${theirs.id}`)).html);
    assert.doesNotMatch(theirForm, /name="orientationId"/);
    assert.match(theirForm, /n’a pas été reçue par votre structure/);
  });

  it('records the accompaniment of a pass numérique redemption once, and refuses a cancelled or another’s one', async () => {
    const year = new Date().getUTCFullYear();
    const pass = await setUpPassProgramme(t.db, { booklets: 1, validUntil: `31/12/${year + 1}` });
    const codes = await handOver(t.db, (pass.booklets[0] as { id: string }).id);
    const actor = await actorOf(t.db, 'mediation.demo@example.org');
    const redeem = async (code: string) => {
      const r = await redeemVoucher(t.db, actor, {
        placeId: pass.placeId,
        code,
        needs: ['adresse-mail'],
        servedOn: today,
        idempotencyKey: crypto.randomUUID().replace(/-/g, ''),
      });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
      return r.redemption.id;
    };
    const entry = await redeem(codes[0] as string);
    const list = text((await staff.page('/pass/encaissements')).html);
    const link = `/activites/nouveau?encaissement=${entry}&structure=${pass.structureId}`;
    assert.ok(list.includes(`href="${link}"`), 'the redemptions list offers to record');
    const form = text((await staff.page(link)).html);
    assert.match(form, new RegExp(`name="voucherEntryId" value="${entry}"`));
    assert.match(form, /id="theme-email" name="themes" value="email" checked=""/);
    const fields = accompaniment({ lieu: `lieu:${pass.placeId}`, voucherEntryId: String(entry) });
    const first = await send(fields, link);
    assert.equal(first.res.status, 303);
    const recorded = /activite=([0-9a-f-]{36})/.exec(first.res.headers.get('Location') ?? '')?.[1] ?? '';
    // Twice: a French message and a link to the first record; the link itself leads there.
    const before = await count();
    const second = await send(fields);
    assert.equal(second.res.status, 422);
    assert.match(second.html, /déjà lié à une autre activité/);
    assert.ok(second.html.includes(`href="/activites/${recorded}"`));
    assert.equal(await count(), before);
    const again = await staff.request(link);
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('Location'), `/activites/${recorded}?fait=deja`);
    // Cancelled: refused.
    const cancelledEntry = await redeem(codes[1] as string);
    const cancelled = await cancelRedemption(t.db, actor, {
      redemptionId: String(cancelledEntry),
      reason: 'Erreur',
    });
    assert.ok(cancelled.ok);
    const refused = await send(
      accompaniment({ lieu: `lieu:${pass.placeId}`, voucherEntryId: String(cancelledEntry) }),
    );
    assert.equal(refused.res.status, 422);
    assert.match(refused.html, /a été annulé/);
    // Cancelled after the record: the record stays (the help was given) and says so.
    assert.ok((await cancelRedemption(t.db, actor, { redemptionId: String(entry), reason: 'Erreur' })).ok);
    const page = text((await staff.page(`/activites/${recorded}`)).html);
    assert.match(page, /a été annulé le .* : cette aide n’est plus payée par ce chèque/);
    // Another structure's staff cannot link our redemption.
    const mine = await redeem(codes[2] as string);
    const theirs = await send(
      { date: today, duration: '30', lieu: 'a_distance', themes: ['email'], voucherEntryId: String(mine) },
      '/activites/nouveau',
      other,
    );
    assert.equal(theirs.res.status, 422);
    assert.match(theirs.html, /n’a pas été fait dans un lieu de votre structure/);
  });

  it('puts the month’s records and the link to record one on the staff’s home page', async () => {
    const home = text((await staff.page('/espace')).html);
    assert.match(home, /Activités du mois/);
    assert.match(home, /href="\/activites\/nouveau"/);
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    assert.doesNotMatch(text((await funder.page('/espace')).html), /Activités du mois/);
  });
});
