import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { listAllPlaces, type Place } from '../places/places.service.ts';
import { NEEDS } from '../search/needs.ts';
import { runOrientationDeadlines } from './deadlines.service.ts';
import { answerOrientation } from './inbox.service.ts';
import { createOrientation } from './orientation-form.service.ts';
import { addDays, placeOffersNeed } from './referrals.ts';
import { homeBlocks } from './referrals-home.service.ts';
import { orientationStatistics } from './statistics.service.ts';
import { readStatisticsPeriod } from './statistics.ts';

/**
 * Orientation statistics by calendar year or chosen dates (page, CSV, wording), and the home page's
 * orientation blocks, whose counts are checked against the database.
 */
after(closeTestTemplate);

const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', PUBLIC_URL: 'https://maillage.example.org' });
const HOUR = 3_600_000;

interface Member {
  actor: Actor;
  name: string;
  email: string;
  structure: { id: string; name: string };
}

async function member(db: Db, email: string): Promise<Member> {
  const row = await db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .innerJoin('structure', 'structure.id', 'membership.structure_id')
    .select([
      'person.id',
      'person.display_name',
      'membership.structure_id',
      'membership.role',
      'structure.nom',
    ])
    .where('person.email', '=', email)
    .executeTakeFirstOrThrow();
  return {
    actor: {
      kind: 'person',
      personId: row.id,
      networkRole: null,
      memberships: [{ structureId: row.structure_id, role: row.role }],
    },
    name: row.display_name,
    email,
    structure: { id: row.structure_id, name: row.nom },
  };
}

const coordinator: Actor = {
  kind: 'person',
  personId: '00000000-0000-4000-8000-000000000001',
  networkRole: 'coordinator',
  memberships: [],
};

describe('orientation statistics and home blocks (real database)', () => {
  let t: TestDb;
  let staff: Member;
  let other: Member;
  let inboxPlace: Place;
  before(async () => {
    t = await createDemoTestDb();
    staff = await member(t.db, 'mediation.demo@example.org');
    other = await member(t.db, 'autre-structure.demo@example.org');
    const owners = new Map(
      (await t.db.selectFrom('place').select(['id', 'structure_id']).execute()).map((r) => [
        r.id,
        r.structure_id,
      ]),
    );
    const found = (await listAllPlaces(t.db)).find(
      (p) => owners.get(p.id) === staff.structure.id && NEEDS.some((n) => placeOffersNeed(p, n)),
    );
    assert.ok(found, 'a place of the demo structure');
    inboxPlace = found;
  });
  after(async () => {
    await t.close();
  });

  /** Sends from the other structure to a place of the demo structure (its inbox), at `now`. */
  async function send(now: Date) {
    const need = NEEDS.find((n) => placeOffersNeed(inboxPlace, n));
    const result = await createOrientation(
      t.db,
      other.actor,
      {
        form: {
          placeId: inboxPlace.id,
          senderStructureId: other.structure.id,
          needs: [need?.slug as string],
          message: 'Martine veut être aidée.',
          urgency: 'normal',
          contactPreference: 'self',
          personName: 'Martine Exemple',
          personPhone: null,
          personEmail: null,
          senderContact: '02 38 00 00 00',
          consent: true,
          attachDiagnostic: false,
          diagnosticToken: null,
          previousId: null,
        },
        sender: { name: other.name, email: other.email, structures: [other.structure] },
      },
      { config, now },
    );
    assert.ok(result.ok);
    return result.orientation;
  }
  async function answer(id: string, decision: 'accept' | 'refuse', now: Date) {
    const r = await answerOrientation(
      t.db,
      staff.actor,
      { id, actorName: staff.name, decision, reason: decision === 'refuse' ? 'full' : '', message: '' },
      { config, now },
    );
    assert.ok(r.ok);
  }

  it('counts a calendar year or chosen dates in France, with the median said plainly and the share never answered', async () => {
    // 2031: answered after 2 h, 10 h and 30 h; one never answered (expired); one still waiting, sent at
    // 23:30 in Paris on 31 December. One sent at 00:30 in Paris on 1 January 2032 is not of 2031.
    const a = new Date('2031-02-03T09:00:00Z');
    const sentA = await send(a);
    await answer(sentA.id, 'accept', new Date(a.getTime() + 2 * HOUR));
    const sentB = await send(a);
    await answer(sentB.id, 'accept', new Date(a.getTime() + 10 * HOUR));
    const sentC = await send(a);
    await answer(sentC.id, 'refuse', new Date(a.getTime() + 30 * HOUR));
    await send(new Date('2031-03-01T09:00:00Z'));
    await runOrientationDeadlines(t.db, { config, now: new Date('2031-04-05T09:00:00Z') });
    await send(new Date('2031-12-31T22:30:00Z'));
    await send(new Date('2031-12-31T23:30:00Z'));

    const year = await orientationStatistics(t.db, coordinator, { annee: '2031' });
    assert.ok(year.ok);
    const st = year.stats;
    assert.deepEqual([st.total, st.answered, st.neverAnswered, st.waiting], [5, 3, 1, 1]);
    assert.equal(st.medianAnswerMs, 10 * HOUR);
    assert.deepEqual(Object.fromEntries(st.byState.map((s) => [s.state, s.n])), {
      accepted: 2,
      refused: 1,
      expired: 1,
      sent: 1,
    });
    const dates = await orientationStatistics(t.db, coordinator, { du: '01/01/2031', au: '2031-12-31' });
    assert.ok(dates.ok);
    assert.equal(dates.stats.total, 5);
    const lastDay = await orientationStatistics(t.db, coordinator, { du: '31/12/2031', au: '31/12/2031' });
    assert.ok(lastDay.ok && lastDay.stats.total === 1, 'the day is a day in France');
    const next = await orientationStatistics(t.db, coordinator, { annee: '2032' });
    assert.ok(next.ok && next.stats.total === 1);
    await assert.rejects(() => orientationStatistics(t.db, staff.actor, { annee: '2031' }), {
      code: 'forbidden',
    });

    const b = cookieBrowser(testApp(t.db));
    await b.signIn('coordination.demo@example.org');
    const page = await b.request('/orientations/statistiques?annee=2031');
    assert.equal(page.status, 200);
    const html = (await page.text()).replaceAll('&#39;', "'");
    assert.ok(
      html.includes(
        'La moitié des orientations ayant reçu une réponse l’ont eue en moins de 10 h (3 orientations avec une réponse).',
      ),
    );
    assert.ok(
      html.includes(
        '20 % des orientations n’ont jamais eu de réponse (1 sur 5, closes sans réponse) ; 1 attend encore une réponse.',
      ),
    );
    assert.ok(html.includes('href="/orientations/statistiques.csv?annee=2031"'));
    assert.ok(!html.includes('Martine'), 'no person');

    const csv = await b.request('/orientations/statistiques.csv?du=01/01/2031&au=31/12/2031');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('Content-Type') ?? '', /^text\/csv/);
    assert.match(csv.headers.get('Content-Disposition') ?? '', /orientations-2031-01-01-2031-12-31\.csv/);
    const rows: string[][] = parse((await csv.text()).replace(/^\uFEFF/, ''), { delimiter: ';' });
    const find = (section: string, label: string) => rows.find((r) => r[0] === section && r[1] === label);
    assert.deepEqual(rows[0], ['rubrique', 'libellé', 'nombre', 'part']);
    assert.deepEqual(find('période', '2031-01-01 au 2031-12-31'), [
      'période',
      '2031-01-01 au 2031-12-31',
      '5',
      '100 %',
    ]);
    assert.deepEqual(find('réponse', 'délai médian de réponse (heures)')?.[2], '10,0');
    assert.deepEqual(find('réponse', 'jamais de réponse (closes sans réponse)')?.slice(2), ['1', '20 %']);
    assert.ok(
      rows.some(
        (r) => r[0] === 'résumé' && r[1]?.startsWith('La moitié des orientations ayant reçu une réponse'),
      ),
    );
    assert.deepEqual(find('structure qui oriente', other.structure.name)?.[2], '5');

    for (const [query, field, message] of [
      ['annee=deux', 'annee', 'Année : « deux » n’est pas une année'],
      ['du=32/01/2031&au=01/02/2031', 'du', 'Du : « 32/01/2031 » n’est pas une date'],
      ['du=01/02/2031&au=01/01/2031', 'au', 'Au : le dernier jour est avant le premier'],
      ['du=01/02/2031', 'au', 'Au : donnez le dernier jour'],
    ] as const) {
      for (const path of ['/orientations/statistiques', '/orientations/statistiques.csv']) {
        const res = await b.request(`${path}?${query}`);
        assert.equal(res.status, 422, `${path}?${query}`);
        const text = await res.text();
        assert.ok(text.includes(message), `${path}?${query} says ${message}`);
        assert.ok(text.includes(`href="#${field}"`), `${path}?${query} links to its field`);
      }
    }
    const staffBrowser = cookieBrowser(testApp(t.db));
    await staffBrowser.signIn('mediation.demo@example.org');
    assert.equal((await staffBrowser.request('/orientations/statistiques.csv?annee=2031')).status, 403);
  });

  it('reads a period: the current year by default, dates either way round refused, ten years at most', () => {
    const now = new Date('2026-06-15T10:00:00Z');
    const current = readStatisticsPeriod({}, now);
    assert.ok(current.ok);
    assert.deepEqual([current.period.from, current.period.to], ['2026-01-01', '2026-12-31']);
    assert.equal(
      current.period.start.toISOString(),
      '2025-12-31T23:00:00.000Z',
      'midnight in Paris (winter)',
    );
    const summer = readStatisticsPeriod({ du: '01/07/2026', au: '01/07/2026' }, now);
    assert.ok(summer.ok);
    assert.equal(summer.period.start.toISOString(), '2026-06-30T22:00:00.000Z', 'midnight in Paris (summer)');
    assert.equal(summer.period.end.toISOString(), '2026-07-01T22:00:00.000Z');
    const long = readStatisticsPeriod({ du: '01/01/2000', au: '01/01/2020' }, now);
    assert.ok(!long.ok && /10 ans/.test(long.errors.au ?? ''));
  });

  it('gives each member of a structure what waits for its answer, oldest first, and what it sent that waits; counts match the data', async () => {
    const now = new Date();
    const old1 = await send(addDays(now, -9));
    const old2 = await send(addDays(now, -8));
    const blocks = await homeBlocks(t.db, staff.actor, now, { reminderDays: 10 });
    const toAnswer = blocks.find((b) => b.id === 'referrals.to_answer');
    assert.ok(toAnswer);
    const waiting = await t.db
      .selectFrom('orientation')
      .select(['id', 'sent_at'])
      .where('state', '=', 'sent')
      .where((eb) =>
        eb.or([
          eb('receiver_structure_id', '=', staff.structure.id),
          eb.and([eb('delivery', '=', 'sheet'), eb('sender_structure_id', '=', staff.structure.id)]),
        ]),
      )
      .orderBy('sent_at')
      .orderBy('id')
      .execute();
    assert.ok(waiting.length >= 3);
    assert.equal(toAnswer.count, waiting.length);
    assert.equal(toAnswer.structureName, staff.structure.name);
    assert.equal(toAnswer.audience, 'structure');
    assert.deepEqual(
      toAnswer.items?.map((i) => i.href),
      waiting.slice(0, 5).map((w) => `/orientations/${w.id}`),
      'at most five, the oldest first, each linking to its orientation',
    );
    assert.ok(toAnswer.items?.some((i) => i.href === `/orientations/${old1.id}`) || waiting.length > 5);
    assert.ok(!JSON.stringify(blocks).includes('Martine'), 'no personal data on the home page');
    assert.ok(old2.id);

    const sent = (await homeBlocks(t.db, other.actor, now, { reminderDays: 10 })).find(
      (b) => b.id === 'referrals.sent_waiting',
    );
    const sentWaiting = await t.db
      .selectFrom('orientation')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sender_structure_id', '=', other.structure.id)
      .where('state', '=', 'sent')
      .where('delivery', '!=', 'sheet')
      .executeTakeFirstOrThrow();
    assert.ok(sent && sent.count === Number(sentWaiting.n) && sent.count > 0);
    assert.equal(sent.href, `/orientations?structure=${other.structure.id}&boite=envoyees&etat=sent`);
  });

  it('gives the coordinator, per receiving structure, the orientations unanswered after the reminder delay and the structure’s contact, never an orientation', async () => {
    const now = new Date();
    await send(addDays(now, -12));
    await send(addDays(now, -2));
    const blocks = await homeBlocks(t.db, coordinator, now, { reminderDays: 10 });
    assert.deepEqual(
      blocks.map((b) => b.id),
      ['referrals.unanswered_by_structure'],
    );
    const block = blocks[0];
    assert.ok(block);
    const late = await t.db
      .selectFrom('orientation')
      .select(['receiver_structure_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('state', '=', 'sent')
      .where('delivery', '!=', 'sheet')
      .where('receiver_structure_id', 'is not', null)
      .where((eb) => eb.or([eb('reminded_at', 'is not', null), eb('sent_at', '<=', addDays(now, -10))]))
      .groupBy('receiver_structure_id')
      .execute();
    const total = late.reduce((a, r) => a + Number(r.n), 0);
    assert.ok(total >= 1);
    assert.equal(block.count, total);
    const mine = late.find((r) => r.receiver_structure_id === staff.structure.id);
    const item = block.items?.find((i) => i.href === `/structures/${staff.structure.id}`);
    assert.ok(mine && item, 'the demo structure is listed');
    assert.ok(item.label.startsWith(`${staff.structure.name} : ${mine.n} orientation`));
    assert.match(item.detail ?? '', /Contact : /);
    // The coordinator can write to the structure's members from there, the form prefilled.
    assert.deepEqual(item.action, {
      href: `/messages/nouveau?structure=${staff.structure.id}&motif=orientations`,
      label: `Écrire aux membres de ${staff.structure.name}`,
    });
    // The structure's own contact, once the coordinator has set it, comes before its places'.
    await t.db
      .updateTable('structure')
      .set({ contact_phone: '+33238000001', contact_email: 'accueil@structure.example' })
      .where('id', '=', staff.structure.id)
      .execute();
    const own = (await homeBlocks(t.db, coordinator, now, { reminderDays: 10 }))[0]?.items?.find(
      (i) => i.href === `/structures/${staff.structure.id}`,
    );
    assert.match(own?.detail ?? '', /Contact : 02 38 00 00 01, accueil@structure\.example/);
    const text = JSON.stringify(block);
    assert.ok(!text.includes('Martine') && !text.includes(other.structure.name), 'no person, no sender');
    assert.ok(!/\/orientations\/[0-9a-f-]{36}/.test(text), 'no link to an orientation');
    // Without the delay configured, "after the delay" is what the reminder job has reminded.
    const reminded = await homeBlocks(t.db, coordinator);
    const byJob = await t.db
      .selectFrom('orientation')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'sent')
      .where('delivery', '!=', 'sheet')
      .where('receiver_structure_id', 'is not', null)
      .where('reminded_at', 'is not', null)
      .executeTakeFirstOrThrow();
    assert.equal(reminded[0]?.count, Number(byJob.n));
  });

  it('gives nothing about orientations to a funder or an anonymous visitor, and no coordinator block to a member', async () => {
    const funder: Actor = {
      kind: 'person',
      personId: '00000000-0000-4000-8000-000000000002',
      networkRole: 'funder',
      memberships: [],
    };
    assert.deepEqual(await homeBlocks(t.db, funder), []);
    assert.deepEqual(await homeBlocks(t.db, { kind: 'anonymous' }), []);
    const ids = (await homeBlocks(t.db, staff.actor)).map((b) => b.id);
    assert.deepEqual(ids, ['referrals.to_answer', 'referrals.sent_waiting']);
  });
});
