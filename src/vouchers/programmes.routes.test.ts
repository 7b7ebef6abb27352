import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import type { Db } from '../db/database.ts';
import { formatVoucherCode } from './voucher-code.ts';
import { MESSAGES } from './vouchers.ts';

after(closeTestTemplate);

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** Text as hono/jsx escapes it in a page. */
const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** The page's error summary (its links and words). */
const summary = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

/** The error summary links the field to the message. */
const says = (html: string, field: string, message: string) => {
  const top = summary(html);
  assert.ok(top.includes(`href="#${field}">${esc(message)}`), `${field}: ${message}\nin ${top}`);
};

async function demo() {
  const t: TestDb = await createDemoTestDb();
  const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
  const funder = await t.db
    .selectFrom('funder')
    .select('id')
    .where('is_demo', '=', true)
    .executeTakeFirstOrThrow();
  const structure = await t.db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select('membership.structure_id as id')
    .where('person.email', '=', 'admin.demo@example.org')
    .executeTakeFirstOrThrow();
  const place = await t.db
    .selectFrom('place')
    .select('id')
    .where('structure_id', 'is not', null)
    .orderBy('nom')
    .executeTakeFirstOrThrow();
  const as = (email: string) => demoSessionBrowser(app, t.db, email);
  return {
    t,
    app,
    funderId: funder.id,
    structureId: structure.id,
    placeId: place.id,
    coordinator: await as('coordination.demo@example.org'),
    funder: await as('financeur.demo@example.org'),
    staff: await as('mediation.demo@example.org'),
  };
}

const count = async (db: Db, table: 'voucher_programme' | 'voucher_entry' | 'voucher') =>
  Number((await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** The vouchers of the programmes other than this one (the demonstration's). */
const demoVouchers = async (db: Db, programmeId: string) =>
  Number(
    (
      await db
        .selectFrom('voucher')
        .select(db.fn.countAll<number>().as('n'))
        .where('programme_id', '!=', programmeId)
        .executeTakeFirstOrThrow()
    ).n,
  );

const programmeForm = (funderId: string, over: Record<string, string | string[]> = {}) => ({
  funderId,
  name: 'Pass numérique 2027',
  faceValue: '10',
  bookletSize: '5',
  validFrom: '01/01/2026',
  validUntil: '31/12/2099',
  graceDays: '31',
  perimeter: 'epci:244500468',
  budget: '500',
  publics: ['Seniors', 'Jeunes'],
  ...over,
});

/** Creates a programme as the coordinator; its page's path. */
async function created(b: CookieBrowser, funderId: string, over: Record<string, string | string[]> = {}) {
  const res = await b.post('/pass', '/pass', programmeForm(funderId, over));
  assert.equal(res.status, 303, await res.text());
  const location = res.headers.get('Location') ?? '';
  assert.match(location, /^\/pass\/programmes\/[0-9a-f-]{36}\?fait=cree$/);
  return location.replace(/\?.*$/, '');
}

describe('the coordinators’ and funders’ pages of the pass numérique', () => {
  it('runs a programme from creation to printed booklets: create, confirm, qualify, prescribe, emit, pay, allocate', async () => {
    const d = await demo();
    try {
      const hub = await d.coordinator.page('/pass');
      assert.equal(hub.res.status, 200);
      assert.equal(hub.res.headers.get('Cache-Control'), 'no-store');
      assert.match(hub.html, /Créer un programme/);
      assert.match(hub.html, /name="faceValue" type="text" value="10"/);

      const page = await created(d.coordinator, d.funderId);
      const shown = await d.coordinator.page(`${page}?fait=cree`);
      assert.equal(shown.res.status, 200);
      assert.match(shown.html, /<h1>Pass numérique 2027<\/h1>/);
      assert.match(shown.html, /Le programme est créé/);
      assert.match(shown.html, /Seniors, Jeunes|Jeunes, Seniors/);
      assert.match(shown.html, /En attente de la confirmation du financeur/);
      // The coordinator cannot confirm for the funder, nor emit before the confirmation.
      assert.doesNotMatch(shown.html, /name="confirmed"/);
      assert.equal((await d.coordinator.post(page, `${page}/confirmer`, { confirmed: 'oui' })).status, 403);

      const asFunder = await d.funder.page(page);
      assert.equal(asFunder.res.status, 200);
      assert.match(asFunder.html, /name="confirmed"/);
      assert.doesNotMatch(asFunder.html, /Émettre des carnets/);
      const unticked = await d.funder.post(page, `${page}/confirmer`, {});
      assert.equal(unticked.status, 422);
      says(await unticked.text(), `confirmed`, MESSAGES.confirmationRequired);
      const confirmed = await d.funder.post(page, `${page}/confirmer`, { confirmed: 'oui' });
      assert.equal(confirmed.status, 303);
      assert.equal(confirmed.headers.get('Location'), `${page}?fait=confirme`);

      for (const [action, form] of [
        ['lieux', { placeId: d.placeId }],
        ['prescripteurs', { structureId: d.structureId }],
        ['emissions', { booklets: '2' }],
      ] as const) {
        const res = await d.coordinator.post(page, `${page}/${action}`, form);
        assert.equal(res.status, 303, `${action}: ${res.status} ${summary(await res.text())}`);
      }
      const emission = await d.t.db
        .selectFrom('voucher_entry')
        .select('id')
        .where('kind', '=', 'emission')
        .where('programme_id', '=', page.split('/').pop() ?? '')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const afterEmission = await d.coordinator.page(page);
      assert.match(afterEmission.html, /Lot du \d\d\/\d\d\/\d{4}, carnets n° 1 à 2/);
      assert.match(afterEmission.html, /2 carnets, 10 chèques/);
      assert.match(afterEmission.html, /Pas encore payé/);
      assert.match(afterEmission.html, /name="amount" type="text" value="100,00"/);

      const paid = await d.coordinator.post(page, `${page}/paiements`, {
        emissionId: String(emission.id),
        amount: '100,00',
        reference: 'MANDAT-2027-01',
      });
      assert.equal(paid.status, 303);
      const allocated = await d.coordinator.post(page, `${page}/attributions`, {
        structureId: d.structureId,
        count: '1',
      });
      assert.equal(allocated.status, 303);
      const after = await d.coordinator.page(`${page}?fait=attribution`);
      assert.match(after.html, /Les carnets sont confiés au prescripteur/);
      assert.match(after.html, /Payé le \d\d\/\d\d\/\d{4}, référence MANDAT-2027-01/);
      assert.match(after.html, /href="\/pass\/carnets\/[0-9a-f-]{36}">Confié à /);

      const printPath = `${page}/emissions/${emission.id}/imprimer`;
      assert.match(after.html, new RegExp(`href="${printPath}"`));
      const printed = await d.coordinator.page(printPath);
      assert.equal(printed.res.status, 200);
      assert.equal(printed.res.headers.get('Cache-Control'), 'no-store');
      const programmeId = page.split('/').pop() ?? '';
      const codes = await d.t.db
        .selectFrom('voucher')
        .select('code')
        .where('programme_id', '=', programmeId)
        .execute();
      assert.equal(codes.length, 10);
      for (const { code } of codes) assert.ok(printed.html.includes(formatVoucherCode(code)), code);
      assert.equal((printed.html.match(/<svg[^>]*class="qr"/g) ?? []).length, 10, 'a QR code per voucher');
      assert.equal((printed.html.match(/<section class="voucher-sheet"/g) ?? []).length, 2);
      assert.match(printed.html, new RegExp(`href="${page}">Retour au programme`));
    } finally {
      await d.t.close();
    }
  });

  it('refuses a face value of 0, dates in the wrong order and an unknown funder, naming the fields, writing nothing', async () => {
    const d = await demo();
    try {
      const before = await count(d.t.db, 'voucher_programme');
      const zero = await d.coordinator.post('/pass', '/pass', programmeForm(d.funderId, { faceValue: '0' }));
      assert.equal(zero.status, 422);
      const zeroHtml = await zero.text();
      assert.match(zeroHtml, /<title>Erreur : Pass numérique — Maillage<\/title>/);
      says(zeroHtml, `faceValue`, MESSAGES.faceValueInvalid('0'));
      // What was typed comes back, the publics ticked included.
      assert.match(zeroHtml, /name="name" type="text" value="Pass numérique 2027"/);
      assert.match(zeroHtml, /value="Seniors" checked/);

      const reversed = await d.coordinator.post(
        '/pass',
        '/pass',
        programmeForm(d.funderId, { validFrom: '01/06/2027', validUntil: '31/05/2027' }),
      );
      assert.equal(reversed.status, 422);
      says(await reversed.text(), `validUntil`, MESSAGES.endBeforeStart('31/05/2027', '01/06/2027'));

      const unknown = await d.coordinator.post('/pass', '/pass', programmeForm(UNKNOWN));
      assert.equal(unknown.status, 422);
      says(await unknown.text(), `funderId`, MESSAGES.unknownFunder);

      const size = await d.coordinator.post(
        '/pass',
        '/pass',
        programmeForm(d.funderId, { bookletSize: '7' }),
      );
      assert.equal(size.status, 422);
      says(await size.text(), 'bookletSize-10', MESSAGES.bookletSizeInvalid);
      assert.equal(await count(d.t.db, 'voucher_programme'), before);
    } finally {
      await d.t.close();
    }
  });

  it('emits and allocates once when a form is sent twice with its key (a double click), twice with two keys', async () => {
    const d = await demo();
    try {
      const page = await created(d.coordinator, d.funderId);
      const programmeId = page.split('/').pop() ?? '';
      assert.equal((await d.funder.post(page, `${page}/confirmer`, { confirmed: 'oui' })).status, 303);
      assert.equal(
        (await d.coordinator.post(page, `${page}/prescripteurs`, { structureId: d.structureId })).status,
        303,
      );
      const keyOf = (html: string, action: string) => {
        const form = new RegExp(`action="${page}/${action}"[\\s\\S]*?</form>`).exec(html)?.[0] ?? '';
        return /name="key" value="([A-Za-z0-9_-]{8,100})"/.exec(form)?.[1] ?? '';
      };
      const shown = (await d.coordinator.page(page)).html;
      const emissionKey = keyOf(shown, 'emissions');
      assert.notEqual(emissionKey, '');
      const entries = (kind: 'emission' | 'allocation') =>
        d.t.db
          .selectFrom('voucher_entry')
          .select('id')
          .where('kind', '=', kind)
          .where('programme_id', '=', programmeId)
          .execute();
      for (let i = 0; i < 2; i++) {
        const res = await d.coordinator.post(page, `${page}/emissions`, { booklets: '2', key: emissionKey });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('Location'), `${page}?fait=emission`);
      }
      assert.equal((await entries('emission')).length, 1);
      assert.equal(await count(d.t.db, 'voucher'), 10 + (await demoVouchers(d.t.db, programmeId)));
      const again = (await d.coordinator.page(page)).html;
      const otherKey = keyOf(again, 'emissions');
      assert.notEqual(otherKey, emissionKey);
      const res = await d.coordinator.post(page, `${page}/emissions`, { booklets: '2', key: otherKey });
      assert.equal(res.status, 303);
      assert.equal((await entries('emission')).length, 2);

      const allocationKey = keyOf((await d.coordinator.page(page)).html, 'attributions');
      assert.notEqual(allocationKey, '');
      const allocate = (key: string) =>
        d.coordinator.post(page, `${page}/attributions`, { structureId: d.structureId, count: '2', key });
      for (let i = 0; i < 2; i++) assert.equal((await allocate(allocationKey)).status, 303);
      assert.equal((await entries('allocation')).length, 2);
      const nextKey = keyOf((await d.coordinator.page(page)).html, 'attributions');
      assert.notEqual(nextKey, allocationKey);
      assert.equal((await allocate(nextKey)).status, 303);
      assert.equal((await entries('allocation')).length, 4);
    } finally {
      await d.t.close();
    }
  });

  it('refuses an emission above the budget, a booklet count of "abc" and a payment reference reused, writing nothing', async () => {
    const d = await demo();
    try {
      // 500 € of budget: booklets of 5 vouchers of 10 € are 50 € each, 10 at most.
      const page = await created(d.coordinator, d.funderId);
      assert.equal((await d.funder.post(page, `${page}/confirmer`, { confirmed: 'oui' })).status, 303);
      const entries = await count(d.t.db, 'voucher_entry');
      const vouchers = await count(d.t.db, 'voucher');

      const over = await d.coordinator.post(page, `${page}/emissions`, { booklets: '11' });
      assert.equal(over.status, 422);
      const overHtml = await over.text();
      assert.match(overHtml, /<title>Erreur : Pass numérique 2027 — Maillage<\/title>/);
      assert.match(
        summary(overHtml),
        /href="#booklets">Cette émission coûterait 550,00\u00a0€, mais il ne reste que 500,00\u00a0€/,
      );
      assert.match(overHtml, /name="booklets" type="text" value="11"/);

      const abc = await d.coordinator.post(page, `${page}/emissions`, { booklets: 'abc' });
      assert.equal(abc.status, 422);
      says(await abc.text(), 'booklets', MESSAGES.bookletsInvalid('abc'));
      assert.equal(await count(d.t.db, 'voucher_entry'), entries);
      assert.equal(await count(d.t.db, 'voucher'), vouchers);

      for (const n of ['1', '1'])
        assert.equal((await d.coordinator.post(page, `${page}/emissions`, { booklets: n })).status, 303);
      const [first, second] = await d.t.db
        .selectFrom('voucher_entry')
        .select('id')
        .where('kind', '=', 'emission')
        .where('programme_id', '=', page.split('/').pop() ?? '')
        .orderBy('id')
        .execute();
      assert.ok(first && second);
      const pay = (emissionId: number, reference: string, amount = '50') =>
        d.coordinator.post(page, `${page}/paiements`, { emissionId: String(emissionId), amount, reference });
      assert.equal((await pay(first.id, 'VIR-1')).status, 303);
      const paidEntries = await count(d.t.db, 'voucher_entry');
      const reused = await pay(second.id, 'VIR-1');
      assert.equal(reused.status, 422);
      const reusedHtml = await reused.text();
      says(reusedHtml, `paiement-${second.id}-reference`, MESSAGES.referenceReused('VIR-1'));
      assert.match(
        reusedHtml,
        new RegExp(`id="paiement-${second.id}-reference" name="reference" type="text" value="VIR-1"`),
      );
      const wrongAmount = await pay(second.id, 'VIR-2', 'cinquante');
      assert.equal(wrongAmount.status, 422);
      says(
        await wrongAmount.text(),
        `paiement-${second.id}-amount`,
        MESSAGES.paymentAmountInvalid('cinquante'),
      );
      // A lot already paid has no form left: the message is said at the top.
      const twice = await pay(first.id, 'VIR-3');
      assert.equal(twice.status, 422);
      assert.ok(summary(await twice.text()).includes(esc(MESSAGES.emissionAlreadyPaid)));
      assert.equal(await count(d.t.db, 'voucher_entry'), paidEntries);

      const notAPrescriber = await d.coordinator.post(page, `${page}/attributions`, {
        structureId: d.structureId,
        count: 'abc',
      });
      assert.equal(notAPrescriber.status, 422);
      says(await notAPrescriber.text(), 'allocationStructureId', MESSAGES.bookletNotPrescriber);
      assert.equal(
        (await d.coordinator.post(page, `${page}/prescripteurs`, { structureId: d.structureId })).status,
        303,
      );
      const abcCount = await d.coordinator.post(page, `${page}/attributions`, {
        structureId: d.structureId,
        count: 'abc',
      });
      assert.equal(abcCount.status, 422);
      says(await abcCount.text(), `allocationCount`, MESSAGES.bookletsToAllocateInvalid('abc'));
      const unknownPlace = await d.coordinator.post(page, `${page}/lieux`, { placeId: UNKNOWN });
      assert.equal(unknownPlace.status, 422);
      says(await unknownPlace.text(), `placeId`, MESSAGES.unknownPlace);
      assert.equal(await count(d.t.db, 'voucher_entry'), paidEntries);
    } finally {
      await d.t.close();
    }
  });

  it('shows a funder only its own programmes, and refuses a programme page to a structure’s member', async () => {
    const d = await demo();
    try {
      const other = await d.t.db
        .insertInto('funder')
        .values({ name: 'Autre financeur' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const mine = await created(d.coordinator, d.funderId, { name: 'Programme du Département' });
      const theirs = await created(d.coordinator, other.id, { name: 'Programme d’un autre financeur' });

      const coordinatorHub = await d.coordinator.page('/pass');
      assert.match(coordinatorHub.html, /Programme du Département/);
      assert.match(coordinatorHub.html, /Programme d’un autre financeur/);

      const funderHub = await d.funder.page('/pass');
      assert.equal(funderHub.res.status, 200);
      assert.match(funderHub.html, /Programme du Département/);
      assert.doesNotMatch(funderHub.html, /Programme d’un autre financeur/);
      assert.doesNotMatch(funderHub.html, /Créer un programme/);
      assert.equal((await d.funder.page(mine)).res.status, 200);
      assert.equal((await d.funder.page(theirs)).res.status, 403);
      assert.equal((await d.funder.post(mine, '/pass', programmeForm(d.funderId))).status, 403);

      // Their home pages lead there: the funder's says what waits for its confirmation.
      // The demonstration's three programmes (confirmed; decision 0050 added one near its end and one
      // closed) and the two just created.
      const coordinatorHome = await d.coordinator.page('/espace');
      assert.match(
        coordinatorHome.html,
        /<strong>5<\/strong> programmes, dont 2 à confirmer par leur financeur/,
      );
      assert.match(coordinatorHome.html, /href="\/pass">Voir les programmes<\/a>/);
      const funderHome = await d.funder.page('/espace');
      assert.match(funderHome.html, /<strong>1<\/strong> programme attend votre confirmation/);
      assert.match(funderHome.html, /Programme du Département/);
      assert.doesNotMatch(funderHome.html, /Programme d’un autre financeur/);

      const staffHub = await d.staff.page('/pass');
      assert.equal(staffHub.res.status, 200);
      assert.match(staffHub.html, /href="\/pass\/carnets">Mes carnets<\/a>/);
      assert.match(staffHub.html, /href="\/pass\/encaisser">Encaisser un chèque<\/a>/);
      assert.doesNotMatch(staffHub.html, /Programme du Département/);
      assert.equal((await d.staff.page(mine)).res.status, 403);
      assert.equal((await d.staff.page(`${mine}/emissions/1/imprimer`)).res.status, 403);
      assert.equal((await d.coordinator.page('/pass/programmes/pas-un-id')).res.status, 404);
    } finally {
      await d.t.close();
    }
  });
});
