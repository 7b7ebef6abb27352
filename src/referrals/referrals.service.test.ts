import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../test/support/processes.ts';
import { decodedText, startSmtp } from '../../test/support/smtp-server.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { type Actor, ANONYMOUS } from '../accounts/policy.ts';
import { listAudit } from '../audit/audit.service.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { deliverDueMail, listRecentMessages } from '../mail/mail.service.ts';
import { smtpTransport } from '../mail/smtp.ts';
import { getPlace, listAllPlaces, type Place } from '../places/places.service.ts';
import { NEEDS } from '../search/needs.ts';
import { runOrientationDeadlines } from './deadlines.service.ts';
import {
  answerOrientation,
  closeOrientation,
  getOrientation,
  getReferralSheet,
  listOrientations,
} from './inbox.service.ts';
import {
  answerOrientationByLink,
  closeOrientationByLink,
  viewOrientationByLink,
} from './mailed-links.service.ts';
import { createOrientation } from './orientation-form.service.ts';
import {
  eraseParcoursData,
  exportParcoursData,
  getParcours,
  purgeOrientationPersonalData,
} from './parcours.service.ts';
import { addDays, addMonths, needLabel, type OrientationInput, placeOffersNeed } from './referrals.ts';
import { orientationStatistics } from './statistics.service.ts';

after(closeTestTemplate);

const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', PUBLIC_URL: 'https://maillage.example.org' });
const opts = (now: Date) => ({ config, now });

interface Member {
  actor: Actor;
  personId: string;
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
    personId: row.id,
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

/** Places by how they receive orientations, read from the demo data. */
async function placesByDelivery(db: Db, staff: Member, other: Member) {
  const rows = await db
    .selectFrom('place')
    .leftJoin('place_private_contact', 'place_private_contact.place_id', 'place.id')
    .select([
      'place.id',
      'place.structure_id',
      'place_private_contact.referral_email',
      'place_private_contact.accepts_orientations',
      (eb) =>
        eb
          .selectFrom('membership')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('membership.structure_id', '=', 'place.structure_id')
          .as('members'),
    ])
    .execute();
  const all = await listAllPlaces(db);
  const byId = new Map(all.map((p) => [p.id, p]));
  const pick = (f: (r: (typeof rows)[number]) => boolean): Place => {
    const r = rows.find((x) => f(x) && NEEDS.some((n) => placeOffersNeed(byId.get(x.id) as Place, n)));
    assert.ok(r, 'the demo data has such a place');
    return byId.get(r.id) as Place;
  };
  return {
    // Third structure, no member, a referral address that accepts: reached by an e-mailed link.
    email: pick(
      (r) =>
        Number(r.members) === 0 &&
        r.referral_email !== null &&
        r.accepts_orientations === 'yes' &&
        r.structure_id !== staff.structure.id &&
        r.structure_id !== other.structure.id,
    ),
    // A place of the demo structure: reached in its inbox.
    inbox: pick((r) => r.structure_id === staff.structure.id),
    // No contact at all and no member: the sheet only.
    sheet: pick((r) => Number(r.members) === 0 && r.referral_email === null),
  };
}

const needOf = (place: Place) =>
  (NEEDS.find((n) => placeOffersNeed(place, n)) as (typeof NEEDS)[number]).slug;

function form(place: Place, sender: Member, over: Partial<OrientationInput> = {}): OrientationInput {
  return {
    placeId: place.id,
    senderStructureId: sender.structure.id,
    needs: [needOf(place)],
    message: 'Elle veut faire sa demande en ligne, elle a ses papiers.',
    urgency: 'soon',
    contactPreference: 'phone',
    personName: 'Martine Exemple',
    personPhone: '0612345678',
    personEmail: null,
    senderContact: '02 38 00 00 00',
    consent: true,
    attachDiagnostic: false,
    diagnosticToken: null,
    previousId: null,
    ...over,
  };
}

async function send(db: Db, sender: Member, place: Place, now: Date, over: Partial<OrientationInput> = {}) {
  const result = await createOrientation(
    db,
    sender.actor,
    {
      form: form(place, sender, over),
      sender: { name: sender.name, email: sender.email, structures: [sender.structure] },
    },
    opts(now),
  );
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.orientation;
}

const linkIn = (text: string) => /\/orientations\/lien\/([A-Za-z0-9._-]+)/.exec(text)?.[1] ?? null;

describe('orientations (service, real database)', () => {
  let t: TestDb;
  let staff: Member;
  let admin: Member;
  let other: Member;
  let places: Awaited<ReturnType<typeof placesByDelivery>>;
  const t0 = new Date('2026-03-02T09:00:00Z');

  before(async () => {
    t = await createDemoTestDb();
    staff = await member(t.db, 'mediation.demo@example.org');
    admin = await member(t.db, 'admin.demo@example.org');
    other = await member(t.db, 'autre-structure.demo@example.org');
    places = await placesByDelivery(t.db, staff, other);
  });
  after(async () => {
    await t.close();
  });

  it('mails a signed link to a place without members; read through SMTP, it works once, is refused altered or reused', async () => {
    const port = await freePort();
    const smtp = await startSmtp(port);
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
    try {
      const o = await send(t.db, staff, places.email, t0);
      assert.equal(o.delivery, 'email');
      assert.ok(o.referralEmail);
      await deliverDueMail(t.db, { transport, from: 'Maillage <m@example.org>', now: t0 });
      const mail = smtp.received.find((m) => m.to.includes(o.referralEmail as string));
      assert.ok(mail, 'the place received a mail');
      assert.doesNotMatch(decodedText(mail.raw), /Martine|0612345678/, 'no personal data in the mail');
      const token = linkIn(decodedText(mail.raw));
      assert.ok(token, 'the mail holds a link');

      const view = await viewOrientationByLink(t.db, ANONYMOUS, { token }, { now: t0 });
      assert.ok(view.ok && view.orientation.person.name === 'Martine Exemple');
      const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}${token.slice(-1)}`;
      assert.deepEqual(await viewOrientationByLink(t.db, ANONYMOUS, { token: tampered }, { now: t0 }), {
        ok: false,
        reason: 'tampered',
      });

      const accepted = await answerOrientationByLink(
        t.db,
        ANONYMOUS,
        { token, decision: 'accept', reason: '', message: '' },
        opts(addDays(t0, 1)),
      );
      assert.ok(accepted.ok && accepted.orientation.state === 'accepted' && accepted.closeToken);
      assert.deepEqual(await viewOrientationByLink(t.db, ANONYMOUS, { token }, { now: addDays(t0, 1) }), {
        ok: false,
        reason: 'used',
      });
      assert.deepEqual(
        await answerOrientationByLink(
          t.db,
          ANONYMOUS,
          { token, decision: 'refuse', reason: 'full', message: '' },
          opts(addDays(t0, 1)),
        ),
        { ok: false, reason: 'used' },
      );
      // The sender is told; the place receives its closing link; both through SMTP.
      await deliverDueMail(t.db, { transport, from: 'Maillage <m@example.org>', now: addDays(t0, 1) });
      assert.ok(smtp.received.some((m) => m.to.includes(staff.email) && /accept/i.test(decodedText(m.raw))));
      const closeMail = smtp.received.find(
        (m) => m.to.includes(o.referralEmail as string) && /est venue/.test(decodedText(m.raw)),
      );
      assert.ok(closeMail);
      const closeToken = linkIn(decodedText(closeMail.raw));
      assert.equal(closeToken, accepted.closeToken);
      const closed = await closeOrientationByLink(
        t.db,
        ANONYMOUS,
        { token: closeToken as string, outcome: 'came' },
        { now: addDays(t0, 8) },
      );
      assert.ok(closed.ok && closed.orientation.state === 'came');
      assert.deepEqual(
        await closeOrientationByLink(
          t.db,
          ANONYMOUS,
          { token: closeToken as string, outcome: 'came' },
          { now: addDays(t0, 8) },
        ),
        {
          ok: false,
          reason: 'used',
        },
      );
      const events = (await getOrientation(t.db, staff.actor, { id: o.id })).events;
      assert.deepEqual(
        events.map((e) => [e.from, e.to]),
        [
          [null, 'sent'],
          ['sent', 'accepted'],
          ['accepted', 'came'],
        ],
      );
      assert.ok(events.every((e) => e.actorLabel && e.at instanceof Date));
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it('reminds after 10 days, expires after 30, mailing the sender each time; the link then is dead', async () => {
    const start = new Date('2026-04-01T08:00:00Z');
    const o = await send(t.db, staff, places.email, start);
    const token = linkIn(
      (await listRecentMessages(t.db, 5)).find((m) => m.to === o.referralEmail)?.text ?? '',
    ) as string;
    assert.ok(token);
    const sentTo = async () =>
      (await listRecentMessages(t.db, 200)).filter((m) => m.to === staff.email && m.text.includes(o.id));
    assert.deepEqual(await runOrientationDeadlines(t.db, opts(addDays(start, 9))), {
      reminded: 0,
      expired: 0,
    });
    const r10 = await runOrientationDeadlines(t.db, opts(addDays(start, 10)));
    assert.equal(r10.reminded, 1);
    assert.equal((await sentTo()).length, 1, 'the sender is reminded');
    assert.deepEqual(
      await runOrientationDeadlines(t.db, opts(addDays(start, 11))),
      { reminded: 0, expired: 0 },
      'once',
    );
    const r30 = await runOrientationDeadlines(t.db, opts(addDays(start, 30)));
    assert.equal(r30.expired, 1);
    assert.equal((await sentTo()).length, 2, 'the sender is told of the expiry');
    assert.equal((await getOrientation(t.db, staff.actor, { id: o.id })).orientation.state, 'expired');
    const late = await viewOrientationByLink(t.db, ANONYMOUS, { token }, { now: addDays(start, 31) });
    assert.ok(!late.ok && (late.reason === 'expired' || late.reason === 'done'));
  });

  it('lets no structure outside the orientation, nor the coordinator, see it; a guessed id gets the same answer', async () => {
    const o = await send(t.db, staff, places.email, t0);
    for (const [who, actor] of [
      ['other structure', other.actor],
      ['coordinator', coordinator],
      ['anonymous', { kind: 'anonymous' } as Actor],
    ] as const) {
      for (const call of [
        () => getOrientation(t.db, actor, { id: o.id }),
        () => getReferralSheet(t.db, actor, { id: o.id }),
        () => getParcours(t.db, actor, { id: o.parcoursId }),
        () => exportParcoursData(t.db, actor, { id: o.parcoursId }),
        () => eraseParcoursData(t.db, actor, { id: o.parcoursId }),
        () =>
          answerOrientation(
            t.db,
            actor,
            {
              id: o.id,
              actorName: 'x',
              decision: 'accept',
              reason: '',
              message: '',
            },
            { config },
          ),
        () => closeOrientation(t.db, actor, { id: o.id, actorName: 'x', outcome: 'came' }),
      ])
        await assert.rejects(call, { code: 'forbidden' }, who);
    }
    const guessed = 'c0ffee00-0000-4000-8000-000000000000';
    const [a, b] = await Promise.all([
      getOrientation(t.db, other.actor, { id: o.id }).catch((e: Error) => e.message),
      getOrientation(t.db, staff.actor, { id: guessed }).catch((e: Error) => e.message),
    ]);
    assert.equal(a, b, 'unknown and not-yours read the same');
    await assert.rejects(
      () =>
        listOrientations(t.db, coordinator, {
          structures: [],
          structureId: null,
          box: 'received',
          state: null,
        }),
      { code: 'forbidden' },
    );
    await assert.rejects(
      () =>
        listOrientations(t.db, other.actor, {
          structures: [other.structure],
          structureId: staff.structure.id,
          box: 'sent',
          state: null,
        }),
      { code: 'forbidden' },
    );
    // The sender's structure sees it, its page reading is audited.
    const view = await getOrientation(t.db, admin.actor, { id: o.id });
    assert.ok(view.involvement.sender && !view.involvement.actsAsReceiver);
    const audit = await listAudit(t.db, {
      action: 'orientation.personal_data_viewed',
      actorId: admin.personId,
    });
    assert.ok(audit.some((e) => e.subjectId === o.id));
  });

  it('refuses a place that does not offer the chosen need, with a French message naming it', async () => {
    const need = NEEDS.find((n) => !placeOffersNeed(places.inbox, n));
    assert.ok(need);
    const result = await createOrientation(
      t.db,
      other.actor,
      {
        form: form(places.inbox, other, { needs: [need.slug] }),
        sender: { name: other.name, email: other.email, structures: [other.structure] },
      },
      opts(t0),
    );
    assert.ok(!result.ok);
    assert.match(
      result.errors.besoin ?? '',
      new RegExp(`ne propose pas : ${need.label.replace(/[()]/g, '.')}`),
    );
    await assert.rejects(
      () =>
        createOrientation(
          t.db,
          other.actor,
          {
            form: form(places.inbox, staff),
            sender: { name: other.name, email: other.email, structures: [other.structure] },
          },
          opts(t0),
        ),
      { code: 'forbidden' },
      'one cannot send for a structure one is not a member of',
    );
  });

  it('tells each member of the receiving structure by mail that an orientation waits, with its link and no personal data', async () => {
    const o = await send(t.db, other, places.inbox, t0, { message: 'Message privé pour le lieu.' });
    assert.equal(o.delivery, 'inbox');
    const about = (await listRecentMessages(t.db, 200)).filter((m) =>
      m.text.includes(`/orientations/${o.id}`),
    );
    assert.deepEqual(
      about.map((m) => m.to).sort(),
      [admin.email, staff.email].sort(),
      'every member, one mail each',
    );
    for (const m of about) {
      assert.match(m.subject, /Une nouvelle orientation vous attend/);
      assert.ok(
        m.text.includes(`${config.publicUrl}/orientations/${o.id}`),
        'a link to the orientation page',
      );
      assert.ok(m.text.includes(other.structure.name), 'the sending structure');
      assert.ok(m.text.includes(needLabel(needOf(places.inbox))), 'the need');
      assert.doesNotMatch(`${m.subject}\n${m.text}`, /Martine|0612345678|Message privé|02 38 00 00 00/);
    }
    // A member sending to a place of her own structure is not told what she just did; the others are.
    const own = await send(t.db, staff, places.inbox, t0);
    const toldOfOwn = (await listRecentMessages(t.db, 200))
      .filter((m) => m.text.includes(`/orientations/${own.id}`))
      .map((m) => m.to);
    assert.deepEqual(toldOfOwn, [admin.email]);
    // Not for a place reached by an e-mailed link: its members (none) and nobody else get this mail.
    const byLink = await send(t.db, staff, places.email, t0);
    assert.ok(
      !(await listRecentMessages(t.db, 200)).some(
        (m) => m.text.includes(`/orientations/${byLink.id}`) && /vous attend/.test(m.subject),
      ),
    );
  });

  it('goes through the inbox: accept, then "redirected" sends the next orientation in the same parcours', async () => {
    const o = await send(t.db, other, places.inbox, t0);
    assert.equal(o.delivery, 'inbox');
    const inbox = await listOrientations(t.db, staff.actor, {
      structures: [staff.structure],
      structureId: null,
      box: 'received',
      state: 'sent',
    });
    assert.ok(inbox.entries.some((e) => e.id === o.id));
    assert.ok(!JSON.stringify(inbox).includes('Martine'), 'the inbox lists no personal data');
    await assert.rejects(
      () =>
        answerOrientation(
          t.db,
          other.actor,
          {
            id: o.id,
            actorName: 'x',
            decision: 'accept',
            reason: '',
            message: '',
          },
          { config },
        ),
      {
        code: 'forbidden',
      },
    );
    const refusedEmpty = await answerOrientation(
      t.db,
      staff.actor,
      {
        id: o.id,
        actorName: staff.name,
        decision: 'refuse',
        reason: '',
        message: '',
      },
      { config },
    );
    assert.ok(!refusedEmpty.ok && refusedEmpty.errors.reason);
    const accepted = await answerOrientation(
      t.db,
      staff.actor,
      { id: o.id, actorName: staff.name, decision: 'accept', reason: '', message: '' },
      opts(addDays(t0, 2)),
    );
    assert.ok(accepted.ok && accepted.orientation.answeredAt);
    await assert.rejects(
      () =>
        answerOrientation(
          t.db,
          admin.actor,
          {
            id: o.id,
            actorName: 'x',
            decision: 'refuse',
            reason: 'full',
            message: '',
          },
          { config },
        ),
      { code: 'conflict' },
    );
    const redirect = await closeOrientation(t.db, staff.actor, {
      id: o.id,
      actorName: staff.name,
      outcome: 'redirected',
    });
    assert.deepEqual(redirect, { kind: 'redirect', previousId: o.id });
    assert.equal(
      (await getOrientation(t.db, staff.actor, { id: o.id })).orientation.state,
      'accepted',
      'not yet: the next one is not sent',
    );
    const next = await send(t.db, staff, places.email, addDays(t0, 3), { previousId: o.id });
    assert.equal(next.parcoursId, o.parcoursId);
    assert.equal((await getOrientation(t.db, staff.actor, { id: o.id })).orientation.state, 'redirected');
    const parcours = await getParcours(t.db, other.actor, { id: o.parcoursId });
    assert.deepEqual(
      parcours.steps.map((s) => [s.id, s.visible]),
      [
        [o.id, true],
        [next.id, false],
      ],
      'the first sender sees the chain, and opens only its own step',
    );
    await assert.rejects(() => getOrientation(t.db, other.actor, { id: next.id }), { code: 'forbidden' });
  });

  it('blanks personal data after its retention, exports and erases on request, with audit entries', async () => {
    const base = new Date('2025-01-06T09:00:00Z');
    const closed = await send(t.db, other, places.inbox, base);
    await answerOrientation(
      t.db,
      staff.actor,
      { id: closed.id, actorName: staff.name, decision: 'accept', reason: '', message: '' },
      opts(base),
    );
    await closeOrientation(
      t.db,
      staff.actor,
      { id: closed.id, actorName: staff.name, outcome: 'did_not_come' },
      { now: base },
    );
    const refused = await send(t.db, other, places.inbox, base);
    await answerOrientation(
      t.db,
      staff.actor,
      {
        id: refused.id,
        actorName: staff.name,
        decision: 'refuse',
        reason: 'other',
        message: 'Appelez-nous, Madame Martine.',
      },
      opts(base),
    );

    assert.deepEqual(
      await purgeOrientationPersonalData(t.db, opts(addMonths(base, 3))),
      { orientations: 0 },
      'not a day early',
    );
    const threeMonths = await purgeOrientationPersonalData(t.db, opts(addDays(addMonths(base, 3), 1)));
    assert.ok(threeMonths.orientations >= 1);
    const r = (await getOrientation(t.db, other.actor, { id: refused.id })).orientation;
    assert.deepEqual(
      [r.person, r.message, r.stateMessage, r.erasedReason],
      [{ name: null, phone: null, email: null }, null, null, 'retention'],
    );
    assert.equal(r.needs.length, 1, 'what is not personal stays');
    assert.ok(
      (await getOrientation(t.db, other.actor, { id: closed.id })).orientation.person.name,
      'a closed one is kept 24 months',
    );
    await purgeOrientationPersonalData(t.db, opts(addDays(addMonths(base, 24), 1)));
    assert.equal((await getOrientation(t.db, other.actor, { id: closed.id })).orientation.person.name, null);
    assert.deepEqual(
      await purgeOrientationPersonalData(t.db, opts(addDays(addMonths(base, 24), 2))),
      { orientations: 0 },
      'idempotent',
    );

    const fresh = await send(t.db, other, places.inbox, t0);
    const data = (await exportParcoursData(t.db, staff.actor, { id: fresh.parcoursId })) as {
      orientations: { person: { name: string } }[];
    };
    assert.equal(data.orientations[0]?.person.name, 'Martine Exemple');
    assert.deepEqual(await eraseParcoursData(t.db, staff.actor, { id: fresh.parcoursId }), { erased: 1 });
    const erased = (await getOrientation(t.db, staff.actor, { id: fresh.id })).orientation;
    assert.equal(erased.person.name, null);
    assert.equal(erased.erasedReason, 'request');
    for (const action of [
      'orientation.personal_data_exported',
      'orientation.personal_data_erased',
      'orientation.personal_data_purged',
    ])
      assert.ok((await listAudit(t.db, { action })).length > 0, action);
  });

  it('keeps a sheet-only orientation answerable by its sender, and prints a sheet without the person’s contact', async () => {
    const o = await send(t.db, staff, places.sheet, t0);
    assert.equal(o.delivery, 'sheet');
    const sheet = await getReferralSheet(t.db, staff.actor, { id: o.id });
    assert.equal(sheet.place?.id, places.sheet.id);
    const view = await getOrientation(t.db, staff.actor, { id: o.id });
    assert.ok(view.involvement.actsAsReceiver);
    const done = await answerOrientation(
      t.db,
      staff.actor,
      {
        id: o.id,
        actorName: staff.name,
        decision: 'accept',
        reason: '',
        message: '',
      },
      { config },
    );
    assert.ok(done.ok);
    assert.equal(
      (await getPlace(t.db, { kind: 'system' }, { placeId: places.sheet.id })).id,
      places.sheet.id,
    );
  });

  it('gives the coordinator counts only: by need, sender, receiver, state, and the median time to answer', async () => {
    const result = await orientationStatistics(
      t.db,
      coordinator,
      { du: '01/01/2024', au: '30/04/2026' },
      { now: addDays(t0, 40) },
    );
    assert.ok(result.ok);
    const stats = result.stats;
    assert.ok(stats.total >= 5);
    assert.ok(stats.byState.some((s) => s.state === 'came'));
    assert.ok(stats.bySender.some((s) => s.label === staff.structure.name));
    assert.ok(stats.medianAnswerMs !== null && stats.medianAnswerMs > 0);
    assert.ok(!JSON.stringify(stats).includes('Martine'));
    await assert.rejects(() => orientationStatistics(t.db, staff.actor, {}), {
      code: 'forbidden',
    });
  });
});
