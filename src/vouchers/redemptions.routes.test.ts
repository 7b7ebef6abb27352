import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import {
  actorOf,
  codesOf,
  handOver,
  type PassProgramme,
  setUpPassProgramme,
} from '../../test/support/pass-fixtures.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';
import { redeemVoucher } from './redemptions.service.ts';
import { ALPHABET, formatVoucherCode, newVoucherCode } from './voucher-code.ts';

after(closeTestTemplate);

/** The same code with its last data character changed: the check character no longer matches. */
function typo(code: string): string {
  const c = code[12] as string;
  const other = ALPHABET[(ALPHABET.indexOf(c) + 1) % 32] as string;
  return code.slice(0, 12) + other + code.slice(13);
}

const escaped = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

describe("a qualified place's redemptions over HTTP", () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let pass: PassProgramme;
  let codes: string[];
  let staff: CookieBrowser;
  const year = new Date().getUTCFullYear();
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    // Valid until the end of next year: "tomorrow" is always within the validity.
    pass = await setUpPassProgramme(t.db, { booklets: 3, validUntil: `31/12/${year + 1}` });
    codes = [
      ...(await handOver(t.db, (pass.booklets[0] as { id: string }).id)),
      ...(await handOver(t.db, (pass.booklets[1] as { id: string }).id)),
    ];
    staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
  });
  after(async () => {
    await t.close();
  });

  /** Redeems from the form as the staff would: the page's CSRF token and key, the fields given. */
  const redeem = async (fields: Record<string, string | string[]>, from = '/pass/encaisser', who = staff) => {
    const { html } = await who.page(from);
    const key = /name="key" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const res = await who.request('/pass/encaisser', {
      form: { _csrf: csrf, key, place: pass.placeId, needs: ['caf'], servedOn: '', ...fields },
    });
    return { res, html: escaped(await res.text()), key, csrf };
  };

  it('offers the form with the place chosen, a code field that nothing corrects, the needs and today', async () => {
    const { res, html } = await staff.page('/pass/encaisser');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    assert.match(html, new RegExp(`<input type="hidden" name="place" value="${pass.placeId}"/>`));
    const field = /<input [^>]*id="code"[^>]*>/.exec(html)?.[0] ?? '';
    assert.match(field, /autocomplete="off"/);
    assert.match(field, /spellcheck="false"/);
    assert.match(field, /inputmode="text"/);
    assert.match(field, /aria-describedby="code-aide"/);
    assert.match(html, /<p class="hint" id="code-aide">14 caractères, les tirets sont facultatifs.<\/p>/);
    assert.match(html, /<legend>Démarches en ligne<\/legend>/);
    assert.match(html, /name="needs" value="caf"/);
    assert.match(html, new RegExp(`name="servedOn" value="${localToday(new Date())}"`));
    assert.match(html, /name="key" value="[A-Za-z0-9_-]{20,}"/);
  });

  it('says what a voucher is when its QR code opens the page', async () => {
    const code = codes[0] as string;
    const { res, html } = await staff.page(`/pass/encaisser?code=${code}`);
    assert.equal(res.status, 200);
    assert.match(
      escaped(html),
      new RegExp(
        `Chèque de 10,00\u00a0€ du programme « Pass numérique de démonstration », valable jusqu'au 31 janvier ${year + 2}\\.`,
      ),
    );
    assert.match(html, new RegExp(`id="code"[^>]*value="${code}"|value="${code}"[^>]*id="code"`));
  });

  it('checks a typed code first ("Vérifier le code"): says what the voucher is, writes nothing, keeps what was typed', async () => {
    const code = formatVoucherCode(codes[5] as string).toLowerCase();
    const entries = async () =>
      Number(
        (
          await t.db
            .selectFrom('voucher_entry')
            .select(t.db.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await entries();
    const shown = await staff.page('/pass/encaisser');
    // The check comes first in the form: Enter in the code field checks, it does not redeem.
    const buttons = [...shown.html.matchAll(/<button type="submit"[^>]*>([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(buttons.slice(0, 2), ['Vérifier le code', 'Encaisser le chèque']);
    const checked = await redeem({ code, action: 'verifier', needs: ['impots'] });
    assert.equal(checked.res.status, 200);
    assert.match(checked.html, /<h1>Encaisser un chèque pass numérique<\/h1>/);
    assert.match(
      checked.html,
      new RegExp(
        `Chèque de 10,00\u00a0€ du programme « Pass numérique de démonstration », valable jusqu'au 31 janvier ${year + 2}\\.`,
      ),
    );
    assert.match(checked.html, new RegExp(`id="code"[^>]*value="${code}"|value="${code}"[^>]*id="code"`));
    assert.match(checked.html, /name="needs" value="impots" checked=""/);
    assert.ok(checked.html.includes(`name="key" value="${checked.key}"`), 'the same key for the redemption');
    assert.equal(await entries(), before, 'nothing written');

    // Then "Encaisser le chèque" from the checked page redeems it.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(checked.html)?.[1] ?? '';
    const res = await staff.request('/pass/encaisser', {
      form: { _csrf: csrf, key: checked.key, place: pass.placeId, code, needs: ['impots'], servedOn: '' },
    });
    assert.equal(res.status, 200);
    assert.match(escaped(await res.text()), /<h1>Chèque encaissé<\/h1>/);

    // Checked again: refused, naming when and where, with the form kept.
    const again = await redeem({ code, action: 'verifier' });
    assert.equal(again.res.status, 422);
    assert.match(again.html, /Ce chèque a déjà été encaissé le/);
    assert.doesNotMatch(again.html, /class="notice voucher-described"/);
    const unknown = await redeem({ code: newVoucherCode(), action: 'verifier' });
    assert.equal(unknown.res.status, 422);
    const noPlace = await redeem({ code, action: 'verifier', place: '' });
    assert.equal(noPlace.res.status, 422);
  });

  it('redeems a voucher and says so clearly; the same key sent again gets the first answer', async () => {
    const code = formatVoucherCode(codes[0] as string).toLowerCase();
    const first = await redeem({ code, needs: ['caf', 'impots'] });
    assert.equal(first.res.status, 200, first.html.slice(0, 3000));
    assert.match(first.html, /<h1>Chèque encaissé<\/h1>/);
    assert.match(first.html, /Le chèque de <strong>10,00\u00a0€<\/strong> est encaissé pour « /);
    assert.ok(first.html.includes(pass.placeName));
    assert.match(first.html, /le \d{1,2} [a-zéû]+ \d{4} à \d{1,2} h/);
    const again = await staff.request('/pass/encaisser', {
      form: { _csrf: first.csrf, key: first.key, place: pass.placeId, code, needs: ['caf'], servedOn: '' },
    });
    assert.equal(again.status, 200);
    const replayed = escaped(await again.text());
    assert.match(replayed, /<h1>Chèque encaissé<\/h1>/);
    const rows = await t.db
      .selectFrom('voucher_entry')
      .select('id')
      .where('kind', '=', 'redemption')
      .where('idempotency_key', '=', first.key)
      .execute();
    assert.equal(rows.length, 1, 'one redemption for one key');
  });

  it('refuses a voucher already redeemed, naming the day and the place', async () => {
    const { res, html } = await redeem({ code: codes[0] as string });
    assert.equal(res.status, 422);
    assert.ok(
      html.includes(
        `Ce chèque a déjà été encaissé le ${frenchDate(localToday(new Date()))} à « ${pass.placeName} ».`,
      ),
    );
  });

  it('catches one character typed wrong before any lookup, keeping what was typed', async () => {
    const wrong = typo(codes[1] as string);
    const { res, html } = await redeem({ code: wrong, needs: ['caf'] });
    assert.equal(res.status, 422);
    assert.match(html, /Une lettre est mal recopiée : vérifiez le code caractère par caractère\./);
    assert.match(html, new RegExp(`value="${wrong}"`));
    assert.match(html, /name="needs" value="caf" checked=""/);
    assert.match(html, /aria-describedby="code-aide code-erreur"/);
  });

  it('refuses an unknown code, and a code too short, in French', async () => {
    const unknown = await redeem({ code: newVoucherCode() });
    assert.equal(unknown.res.status, 422);
    assert.match(unknown.html, /Ce code ne correspond à aucun chèque/);
    const short = await redeem({ code: 'ABCD-EFGH' });
    assert.equal(short.res.status, 422);
    assert.match(short.html, /Un code a 14 caractères ; vous en avez tapé 8/);
  });

  it('asks what the voucher paid for', async () => {
    const { res, html } = await redeem({ code: codes[1] as string, needs: [] });
    assert.equal(res.status, 422);
    assert.match(html, /Cochez au moins un besoin/);
  });

  it('refuses a voucher not handed to a person, not paid, expired, or of a programme this place does not take', async () => {
    const notDistributed = (await codesOf(t.db, (pass.booklets[2] as { id: string }).id))[0] as string;
    const a = await redeem({ code: notDistributed });
    assert.equal(a.res.status, 422);
    assert.match(a.html, /n'a pas été remis à une personne par un prescripteur/);

    const unpaid = await setUpPassProgramme(t.db, { name: 'Pass non payé', booklets: 1, paid: false });
    // An unpaid booklet cannot be handed out; its vouchers are refused as not paid first.
    const b = await redeem({
      code: (await codesOf(t.db, (unpaid.booklets[0] as { id: string }).id))[0] as string,
    });
    assert.equal(b.res.status, 422);
    assert.match(b.html, /le financeur n'a pas encore payé ce lot/);

    const old = await setUpPassProgramme(t.db, {
      name: 'Pass ancien',
      booklets: 1,
      validFrom: `01/01/${year - 1}`,
      validUntil: `31/01/${year - 1}`,
      graceDays: '0',
    });
    const oldCodes = await handOver(t.db, (old.booklets[0] as { id: string }).id, {
      now: new Date(`${year - 1}-01-15T10:00:00Z`),
    });
    const c = await redeem({ code: oldCodes[0] as string });
    assert.equal(c.res.status, 422);
    assert.match(c.html, new RegExp(`Ce chèque n'est plus valable .* au plus tard le 31/01/${year - 1}`));

    const elsewhere = await setUpPassProgramme(t.db, {
      name: 'Pass d’ailleurs',
      booklets: 1,
      qualify: false,
    });
    const d = await redeem({
      code: (await handOver(t.db, (elsewhere.booklets[0] as { id: string }).id))[0] as string,
    });
    assert.equal(d.res.status, 422);
    assert.match(
      d.html,
      /Ce chèque n'est pas accepté dans ce lieu : il fait partie du programme « Pass d’ailleurs »/,
    );
  });

  it('stops guessing at the limit with a 429 and a French message', async () => {
    const strict = testApp(t.db, {
      TERRITORY: 'epci:244500468',
      LIMIT_PASS_GUESSES_PER_ACCOUNT_PER_HOUR: '2',
    });
    const admin = await demoSessionBrowser(strict, t.db, 'admin.demo@example.org');
    for (let i = 0; i < 2; i++) {
      const r = await redeem({ code: newVoucherCode() }, '/pass/encaisser', admin);
      assert.equal(r.res.status, 422);
    }
    const stopped = await redeem({ code: codes[1] as string }, '/pass/encaisser', admin);
    assert.equal(stopped.res.status, 429);
    assert.match(stopped.html, /Trop de codes inconnus ont été tapés/);
    const described = await admin.request(`/pass/encaisser?code=${codes[1]}`);
    assert.equal(described.status, 429);
    const checked = await redeem({ code: codes[1] as string, action: 'verifier' }, '/pass/encaisser', admin);
    assert.equal(checked.res.status, 429);
  });

  it('lets the place cancel its own redemption within 24 hours, and no longer after', async () => {
    const recent = await redeem({ code: codes[2] as string });
    assert.equal(recent.res.status, 200);
    const list = await staff.page('/pass/encaissements');
    assert.equal(list.res.headers.get('Cache-Control'), 'no-store');
    const id = /action="\/pass\/encaissements\/(\d+)\/annuler"/.exec(list.html)?.[1];
    assert.ok(id, 'a cancellation form');
    const done = await staff.post('/pass/encaissements', `/pass/encaissements/${id}/annuler`, { reason: '' });
    assert.equal(done.status, 303);
    const after = escaped((await staff.page('/pass/encaissements?fait=annule')).html);
    assert.match(after, /L'encaissement est annulé/);
    assert.match(after, /Annulé le .*erreur de saisie/);

    const member = await actorOf(t.db, 'mediation.demo@example.org');
    const old = await redeemVoucher(
      t.db,
      member,
      {
        placeId: pass.placeId,
        code: codes[3] as string,
        needs: ['caf'],
        servedOn: '',
        idempotencyKey: 'cle-ancienne-0001',
      },
      { now: new Date(Date.now() - 25 * 3_600_000) },
    );
    assert.ok(old.ok, JSON.stringify(old));
    const page = await staff.page('/pass/encaissements');
    assert.ok(!page.html.includes(`/pass/encaissements/${old.redemption.id}/annuler`), 'no form after 24 h');
    const late = await staff.post('/pass/encaissements', `/pass/encaissements/${old.redemption.id}/annuler`, {
      reason: 'erreur',
    });
    assert.equal(late.status, 422);
    assert.match(escaped(await late.text()), /Plus de 24 heures ont passé : seule la coordination du réseau/);

    const coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
    const path = `/pass/encaissements/${old.redemption.id}/annuler`;
    const noReason = await coordinator.post('/pass/encaissements', path, { reason: '' });
    assert.equal(noReason.status, 422);
    assert.match(escaped(await noReason.text()), /Indiquez la raison de l'annulation/);
    const withReason = await coordinator.post('/pass/encaissements', path, {
      reason: 'chèque encaissé deux fois',
    });
    assert.equal(withReason.status, 303);
    const network = escaped((await coordinator.page('/pass/encaissements')).html);
    assert.match(network, /Encaissements du réseau/);
    assert.match(network, /chèque encaissé deux fois/);
  });

  it('answers malformed requests in French, never with a 500', async () => {
    const badPlace = await redeem({ place: 'pas-un-lieu', code: codes[4] as string });
    assert.equal(badPlace.res.status, 403);
    const noPlace = await redeem({ place: '', code: codes[4] as string });
    assert.equal(noPlace.res.status, 422);
    assert.match(noPlace.html, /Choisissez le lieu où l’aide a été donnée/);
    const badNeed = await redeem({
      code: codes[4] as string,
      needs: ['<b>'],
      servedOn: '99/99/9999',
      key: 'x',
    });
    assert.equal(badNeed.res.status, 422);
    assert.match(badNeed.html, /Le besoin « <b> » n'existe pas|Le besoin « &lt;b&gt; » n'existe pas/);
    assert.match(badNeed.html, /La date de l'aide « 99\/99\/9999 » n'est pas une date/);
    const tomorrow = new Date(Date.now() + 86_400_000);
    const future = await redeem({ code: codes[4] as string, servedOn: localToday(tomorrow) });
    assert.equal(future.res.status, 422);
    assert.match(future.html, /La date de l'aide ne peut pas être dans le futur/);
    const weird = await redeem({ code: 'ÀÉ💥'.repeat(30) });
    assert.equal(weird.res.status, 422);
    const cancel = await staff.post('/pass/encaissements', '/pass/encaissements/abc/annuler', { reason: '' });
    assert.equal(cancel.status, 404);
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    assert.equal((await funder.request('/pass/encaisser')).status, 403);
    const coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
    const none = await coordinator.page('/pass/encaisser');
    assert.equal(none.res.status, 200);
    assert.match(escaped(none.html), /Aucun lieu de votre structure n'accepte les chèques/);
  });
});
