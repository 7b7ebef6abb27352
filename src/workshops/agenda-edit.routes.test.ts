import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_EMAILS } from '../../test/authorization/matrix.ts';
import { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { purgeWorkshopRegistrations } from './registrations.service.ts';
import { insertOccurrences, insertRegistration, insertWorkshop } from './workshops.repository.ts';
import { parisInstant } from './workshops.ts';
import { removeDemoWorkshops } from './workshops-demo.service.ts';

after(closeTestTemplate);

const DAY = 86_400_000;
const Y = new Date().getUTCFullYear() + 1;

/**
 * The structure's pages to change a workshop, move one date, add dates and download a date's
 * participants (issue 21): bad input refused field by field in French with nothing written, another
 * structure refused (403), malformed ids never a 500.
 */
describe('changing a workshop and its dates over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let staff: CookieBrowser;
  let other: CookieBrowser;
  let csrf = '';
  let otherCsrf = '';
  let workshopId = '';
  let comingId = '';
  let pastId = '';
  before(async () => {
    t = await createDemoTestDb();
    // The demo's workshops would fill the /espace block this test reads.
    await removeDemoWorkshops(t.db, { kind: 'system' });
    app = testApp(t.db);
    const structure = await t.db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', DEMO_EMAILS.staff)
      .executeTakeFirstOrThrow();
    const now = new Date();
    const w = await insertWorkshop(t.db, {
      structure_id: structure.structure_id,
      title: 'Atelier à changer',
      // Two needs and an administrative theme: the form shows one need and no theme; none is lost.
      needs: ['smartphone', 'caf'],
      themes: ['social_sante'],
      level: null,
      mode: 'online',
      place_id: null,
      place_name: null,
      commune_code: null,
      online_url: 'https://visio.example.org/changer',
      capacity: 3,
      created_at: now,
      updated_at: now,
    });
    workshopId = w.id;
    const [coming, past] = await insertOccurrences(t.db, [
      {
        workshop_id: w.id,
        starts_at: parisInstant(`${Y}-03-02T14:00`) as Date,
        ends_at: parisInstant(`${Y}-03-02T16:00`) as Date,
        created_at: now,
        updated_at: now,
      },
      {
        workshop_id: w.id,
        starts_at: new Date(now.getTime() - 40 * DAY),
        ends_at: new Date(now.getTime() - 40 * DAY + 7_200_000),
        created_at: now,
        updated_at: now,
      },
    ]);
    comingId = coming?.id as string;
    pastId = past?.id as string;
    const register = (occurrence: string, first: string, contact: { email?: string; phone?: string }) =>
      insertRegistration(t.db, {
        occurrence_id: occurrence,
        first_name: first,
        phone: contact.phone ?? null,
        email: contact.email ?? null,
        created_at: now,
        updated_at: now,
      });
    await register(comingId, 'Nadia', { email: 'nadia@example.org' });
    // A first name a spreadsheet would run as a formula.
    await register(comingId, '=HYPERLINK("http://x")', { phone: '+33612345678' });
    await register(pastId, 'Ancien', { email: 'ancien@example.org' });
    await purgeWorkshopRegistrations(t.db, { now, days: 30 });
    staff = await demoSessionBrowser(app, t.db, DEMO_EMAILS.staff);
    other = await demoSessionBrowser(app, t.db, DEMO_EMAILS.other_structure);
    csrf = (await staff.csrf('/agenda/gestion')) as string;
    otherCsrf = (await other.csrf('/compte')) as string;
  });
  after(async () => {
    await t.close();
  });

  const workshopRow = () =>
    t.db.selectFrom('workshop').selectAll().where('id', '=', workshopId).executeTakeFirstOrThrow();
  const dateRow = (id: string) =>
    t.db.selectFrom('workshop_occurrence').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('changes a workshop’s fields from its form, refusing bad input field by field, nothing written', async () => {
    const list = await (await staff.request('/agenda/gestion')).text();
    assert.match(list, new RegExp(`href="/agenda/gestion/ateliers/${workshopId}/modifier"`));
    const form = await staff.request(`/agenda/gestion/ateliers/${workshopId}/modifier`);
    assert.equal(form.status, 200);
    assert.equal(form.headers.get('Cache-Control'), 'no-store');
    const html = await form.text();
    assert.match(html, /<h1>Modifier l’atelier<\/h1>/);
    assert.match(html, /value="Atelier à changer"/);
    assert.match(html, /value="https:\/\/visio.example.org\/changer"/);
    assert.match(html, /Ceux-ci restent aussi : [^<]*CAF/i, 'the topics the form does not show are named');
    assert.doesNotMatch(html, /date-1-debut/, 'no dates on the edit form');
    const good = {
      _csrf: csrf,
      title: 'Atelier changé',
      description: 'Nouvelle description.',
      need: 'smartphone',
      theme: '',
      level: 'debutant',
      mode: 'online',
      onlineUrl: 'https://visio.example.org/nouveau',
      audience: 'Seniors',
      accessibility: 'Sous-titres',
      capacity: '5',
      price: '2,50',
      status: 'tentative',
    };
    const before = await workshopRow();
    const refusals: [Record<string, string>, RegExp][] = [
      [{ capacity: '0' }, /Il faut au moins 1 place/],
      [{ capacity: '-4' }, /Il faut au moins 1 place/],
      [{ capacity: 'beaucoup' }, /Écrivez le nombre de places en chiffres/],
      // Two people hold a seat on the coming date: nobody is silently removed.
      [{ capacity: '1' }, /2 personnes sont déjà inscrites à une date : il faut au moins 2 places/],
      [{ onlineUrl: 'ftp://visio.example.org' }, /Le lien doit commencer par http:\/\/ ou https:\/\//],
      [{ onlineUrl: 'javascript:alert(1)' }, /Le lien doit commencer par http:\/\/ ou https:\/\//],
      [{ title: '' }, /Donnez un titre à l’atelier/],
      [{ price: 'cher' }, /Écrivez le prix en euros/],
      [{ status: 'cancelled' }, /Choisissez : à confirmer ou confirmé/],
    ];
    for (const [change, message] of refusals) {
      const res = await staff.request(`/agenda/gestion/ateliers/${workshopId}/modifier`, {
        form: { ...good, ...change },
      });
      assert.equal(res.status, 400, JSON.stringify(change));
      const body = await res.text();
      assert.match(body, message, JSON.stringify(change));
      assert.match(body, /class="error-summary"/);
    }
    assert.deepEqual(await workshopRow(), before, 'nothing written');

    const theirs = await other.request(`/agenda/gestion/ateliers/${workshopId}/modifier`, {
      form: { ...good, _csrf: otherCsrf },
    });
    assert.equal(theirs.status, 403);
    assert.equal((await other.request(`/agenda/gestion/ateliers/${workshopId}/modifier`)).status, 403);
    for (const id of ['pas-un-id', '00000000-0000-4000-8000-000000000000']) {
      const got = (await staff.request(`/agenda/gestion/ateliers/${id}/modifier`)).status;
      assert.ok(got === 404 || got === 403, `${id}: ${got}`);
      const posted = (
        await staff.request(`/agenda/gestion/ateliers/${id}/modifier`, { form: { ...good, _csrf: csrf } })
      ).status;
      assert.ok(posted === 404 || posted === 403, `${id}: ${posted}`);
    }
    assert.deepEqual(await workshopRow(), before, 'nothing written');

    const ok = await staff.request(`/agenda/gestion/ateliers/${workshopId}/modifier`, { form: good });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('Location'), '/agenda/gestion?fait=modifie');
    const after = await workshopRow();
    assert.equal(after.title, 'Atelier changé');
    assert.equal(after.online_url, 'https://visio.example.org/nouveau');
    assert.equal(after.capacity, 5);
    assert.equal(after.price_cents, 250);
    assert.equal(after.status, 'tentative');
    assert.equal(after.level, 'debutant');
    assert.deepEqual(after.needs, ['smartphone', 'caf'], 'the need the form does not show stays');
    assert.deepEqual(after.themes, ['social_sante']);
    assert.equal(after.sequence, before.sequence + 1, 'calendars see a change');
    assert.match(await (await staff.request('/agenda/gestion?fait=modifie')).text(), /Les changements sont/);
  });

  it('moves a coming date; its people with an address are told; bad times are refused', async () => {
    const page = await staff.request(`/agenda/gestion/dates/${comingId}`);
    assert.match(await page.text(), new RegExp(`href="/agenda/gestion/dates/${comingId}/deplacer"`));
    const form = await staff.request(`/agenda/gestion/dates/${comingId}/deplacer`);
    assert.equal(form.status, 200);
    const html = await form.text();
    assert.match(html, /<h1>Déplacer une date<\/h1>/);
    assert.match(html, new RegExp(`value="${Y}-03-02T14:00"`));
    assert.match(html, /value="16:00"/);
    const before = await dateRow(comingId);
    const refusals: [Record<string, string>, RegExp][] = [
      [{ debut: `${Y}-03-09T14:00`, fin: '13:00' }, /Date 1 : la fin doit venir après le début/],
      [{ debut: `${Y - 2}-03-09T14:00`, fin: '16:00' }, /Date 1 : ce moment est déjà passé/],
      [{ debut: 'mardi', fin: '16:00' }, /Date 1 : écrivez le début comme/],
      [{ debut: `${Y}-03-09T14:00`, fin: '' }, /Date 1 : écrivez la fin comme/],
    ];
    for (const [values, message] of refusals) {
      const res = await staff.request(`/agenda/gestion/dates/${comingId}/deplacer`, {
        form: { _csrf: csrf, ...values },
      });
      assert.equal(res.status, 400, JSON.stringify(values));
      const text = await res.text();
      assert.match(text, message);
      // A wrong end is shown beside the end field (and the summary links to it), a wrong start beside the start.
      const aboutEnd = /la fin/.test(message.source);
      assert.match(text, aboutEnd ? /href="#fin"/ : /href="#debut"/, JSON.stringify(values));
      assert.match(
        text,
        aboutEnd
          ? /id="dateEnd-erreur"[\s\S]*?id="fin"[^>]*aria-describedby="dateEnd-erreur"/
          : /id="date-erreur"[\s\S]*?id="debut"/,
        JSON.stringify(values),
      );
    }
    const theirs = await other.request(`/agenda/gestion/dates/${comingId}/deplacer`, {
      form: { _csrf: otherCsrf, debut: `${Y}-03-09T14:00`, fin: '16:00' },
    });
    assert.equal(theirs.status, 403);
    assert.equal((await other.request(`/agenda/gestion/dates/${comingId}/deplacer`)).status, 403);
    for (const id of ['pas-un-id', '00000000-0000-4000-8000-000000000000'])
      assert.equal((await staff.request(`/agenda/gestion/dates/${id}/deplacer`)).status, 403, id);
    // A past date does not move.
    assert.equal((await staff.request(`/agenda/gestion/dates/${pastId}/deplacer`)).status, 409);
    assert.deepEqual(await dateRow(comingId), before, 'nothing written');

    const ok = await staff.request(`/agenda/gestion/dates/${comingId}/deplacer`, {
      form: { _csrf: csrf, debut: `${Y}-03-09T10:00`, fin: '12:30' },
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('Location'), `/agenda/gestion/dates/${comingId}?fait=deplacee`);
    const moved = await dateRow(comingId);
    assert.equal(moved.starts_at.getTime(), parisInstant(`${Y}-03-09T10:00`)?.getTime());
    assert.equal(moved.ends_at.getTime(), parisInstant(`${Y}-03-09T12:30`)?.getTime());
    assert.equal(moved.sequence, before.sequence + 1);
    const mails = await t.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'subject'])
      .where('kind', '=', 'workshop_cancelled')
      .execute();
    assert.deepEqual(
      mails.map((m) => m.to_address),
      ['nadia@example.org'],
      'the person with an address is told (the one with a phone only is not mailed)',
    );
    assert.match(mails[0]?.subject ?? '', /Changement d’horaire/);
  });

  it('adds dates to the workshop, refusing bad ones with nothing written', async () => {
    const form = await staff.request(`/agenda/gestion/ateliers/${workshopId}/dates`);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /<h1>Ajouter des dates<\/h1>/);
    const count = async () =>
      (
        await t.db
          .selectFrom('workshop_occurrence')
          .select('id')
          .where('workshop_id', '=', workshopId)
          .execute()
      ).length;
    const before = await count();
    const refusals: [Record<string, string>, RegExp][] = [
      [{}, /Ajoutez au moins une date/],
      [{ 'date-1-debut': `${Y}-04-06T14:00`, 'date-1-fin': '13:00' }, /Date 1 : la fin doit venir après/],
      [
        { 'date-1-debut': `${Y - 2}-04-06T14:00`, 'date-1-fin': '16:00' },
        /Date 1 : ce moment est déjà passé/,
      ],
      // The second date is already in the series (the date moved above): neither is written.
      [
        {
          'date-1-debut': `${Y}-04-06T14:00`,
          'date-1-fin': '16:00',
          'date-2-debut': `${Y}-03-09T10:00`,
          'date-2-fin': '12:30',
        },
        /Date 2 : cette date est déjà dans la série/,
      ],
      // An empty first row: the message names the row on screen, not the first filled one.
      [{ 'date-2-debut': `${Y}-04-06T14:00`, 'date-2-fin': '13:00' }, /Date 2 : la fin doit venir après/],
    ];
    for (const [values, message] of refusals) {
      const res = await staff.request(`/agenda/gestion/ateliers/${workshopId}/dates`, {
        form: { _csrf: csrf, ...values },
      });
      assert.equal(res.status, 400, JSON.stringify(values));
      assert.match(await res.text(), message);
    }
    const theirs = await other.request(`/agenda/gestion/ateliers/${workshopId}/dates`, {
      form: { _csrf: otherCsrf, 'date-1-debut': `${Y}-04-06T14:00`, 'date-1-fin': '16:00' },
    });
    assert.equal(theirs.status, 403);
    const malformed = (
      await staff.request('/agenda/gestion/ateliers/pas-un-id/dates', {
        form: { _csrf: csrf, 'date-1-debut': `${Y}-04-06T14:00`, 'date-1-fin': '16:00' },
      })
    ).status;
    assert.ok(malformed === 404 || malformed === 403, String(malformed));
    assert.equal(await count(), before, 'nothing written');
    const ok = await staff.request(`/agenda/gestion/ateliers/${workshopId}/dates`, {
      form: {
        _csrf: csrf,
        'date-1-debut': `${Y}-04-06T14:00`,
        'date-1-fin': '16:00',
        'date-2-debut': `${Y}-04-13T14:00`,
        'date-2-fin': '16:00',
      },
    });
    assert.equal(ok.status, 303);
    assert.equal(await count(), before + 2);
    // A date is not moved onto another date of the series.
    const onto = await staff.request(`/agenda/gestion/dates/${comingId}/deplacer`, {
      form: { _csrf: csrf, debut: `${Y}-04-06T14:00`, fin: '16:00' },
    });
    assert.equal(onto.status, 400);
    assert.match(await onto.text(), /cette date est déjà dans la série/);
  });

  it('gives a date’s participants as a CSV for spreadsheets, to the structure alone', async () => {
    const res = await staff.request(`/agenda/gestion/dates/${comingId}/participants.csv`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Content-Type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(
      res.headers.get('Content-Disposition') ?? '',
      /^attachment; filename="participants-.*\.csv"$/,
    );
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    assert.ok(text.startsWith('\uFEFF'), 'a BOM for Excel');
    const lines = text.slice(1).trim().split('\r\n');
    assert.equal(
      lines[0],
      'atelier;date;prénom;téléphone;e-mail;état;rang d’attente;inscrit par un médiateur',
    );
    assert.match(text, /;Nadia;;nadia@example\.org;Inscrit;;non/);
    assert.match(text, /;"'=HYPERLINK\(""http:\/\/x""\)";06 12 34 56 78;;Inscrit;;non/, 'formula made inert');
    // Once purged: the state stays, no name or contact.
    const purged = new TextDecoder().decode(
      await (await staff.request(`/agenda/gestion/dates/${pastId}/participants.csv`)).arrayBuffer(),
    );
    assert.match(purged, /;\(effacé\);;;Inscrit;;non/);
    assert.doesNotMatch(purged, /ancien@example\.org|Ancien/);
    const refused = await other.request(`/agenda/gestion/dates/${comingId}/participants.csv`);
    assert.equal(refused.status, 403);
    assert.doesNotMatch(await refused.text(), /nadia@example/);
    for (const id of ['pas-un-id', '00000000-0000-4000-8000-000000000000'])
      assert.equal((await staff.request(`/agenda/gestion/dates/${id}/participants.csv`)).status, 403, id);
  });

  it('shows the structure’s next workshops on /espace and the agenda in the menu', async () => {
    const home = await (await staff.request('/espace')).text();
    assert.match(home, /Prochains ateliers/);
    assert.match(home, /Atelier changé/);
    assert.match(home, /href="\/agenda\/gestion"/);
    assert.match(home, new RegExp(`href="/agenda/gestion/dates/${comingId}"`));
    const theirs = await (await other.request('/espace')).text();
    assert.doesNotMatch(theirs, /Atelier changé/);
    const front = await (await app.request('/')).text();
    assert.match(front, /<a href="\/agenda">Agenda des ateliers<\/a>/);
    assert.match(
      front,
      /<a href="\/benevolat">Devenir bénévole<\/a>/,
      'the volunteering campaign, in the footer',
    );
  });

  it('finds a structure’s older workshop past the 200 its list shows', async () => {
    const mine = await workshopRow();
    const later = new Date(mine.created_at.getTime() + 60_000);
    await t.db
      .insertInto('workshop')
      .values(
        Array.from({ length: 201 }, (_, i) => ({
          structure_id: mine.structure_id,
          title: `Atelier plus récent ${i}`,
          needs: ['smartphone'],
          mode: 'online' as const,
          online_url: 'https://visio.example.org/recent',
          capacity: 5,
          created_at: later,
          updated_at: later,
        })),
      )
      .execute();
    const list = await (await staff.request('/agenda/gestion')).text();
    assert.doesNotMatch(list, new RegExp(workshopId), 'out of the list');
    const edit = await staff.request(`/agenda/gestion/ateliers/${workshopId}/modifier`);
    assert.equal(edit.status, 200);
    assert.match(await edit.text(), /Atelier changé/);
  });
});
