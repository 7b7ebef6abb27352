import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addDays,
  type Delays,
  deliveryFor,
  FINAL_STATES,
  nextDue,
  type OrientationAction,
  type OrientationState,
  OUTCOMES,
  REFUSAL_REASONS,
  readOrientationForm,
  STATES,
  signLinkToken,
  type Timeline,
  transition,
  validateAnswer,
  validateOrientationForm,
  verifyLinkToken,
} from './referrals.ts';

const ACTIONS: OrientationAction[] = [
  { type: 'accept' },
  ...REFUSAL_REASONS.map((reason) => ({ type: 'refuse', reason }) as const),
  { type: 'expire' },
  ...OUTCOMES.map((outcome) => ({ type: 'close', outcome }) as const),
];

/** The whole table: from → action type → state reached (absent: refused). */
const ALLOWED: Record<OrientationState, Partial<Record<string, OrientationState>>> = {
  sent: { accept: 'accepted', refuse: 'refused', expire: 'expired' },
  accepted: { 'close:came': 'came', 'close:did_not_come': 'did_not_come', 'close:redirected': 'redirected' },
  refused: {},
  expired: {},
  came: {},
  did_not_come: {},
  redirected: {},
};

const keyOf = (a: OrientationAction) => (a.type === 'close' ? `close:${a.outcome}` : a.type);

describe('the orientation state machine', () => {
  for (const from of STATES) {
    for (const action of ACTIONS) {
      const expected = ALLOWED[from][keyOf(action)];
      it(`${expected ? 'allows' : 'refuses'} ${keyOf(action)}${action.type === 'refuse' ? `(${action.reason})` : ''} from ${from}`, () => {
        const result = transition(from, action);
        if (expected) assert.deepEqual(result, { ok: true, to: expected });
        else {
          assert.equal(result.ok, false);
          assert.ok(!result.ok && /[a-zé]/.test(result.message), 'a French message');
        }
      });
    }
  }

  it('never leaves a final state', () => {
    for (const s of FINAL_STATES) for (const a of ACTIONS) assert.equal(transition(s, a).ok, false);
  });
});

const DELAYS: Delays = { reminderDays: 10, expiryDays: 30, retentionMonths: 24, unansweredMonths: 3 };

/** A model of the service and its job: actions by people at random times, the job at each tick. */
type Step =
  | { kind: 'act'; index: number; action: OrientationAction }
  | { kind: 'send' }
  | { kind: 'tick'; hours: number };

interface Model extends Timeline {
  reminders: number;
}

function runJob(o: Model, now: Date, delays: Delays): void {
  if (o.state !== 'sent') return;
  if (now >= addDays(o.sentAt, delays.expiryDays)) {
    o.state = 'expired';
    o.closedAt = now;
    return;
  }
  if (!o.remindedAt && now >= addDays(o.sentAt, delays.reminderDays)) {
    o.remindedAt = now;
    o.reminders++;
  }
}

describe('random sequences of actions and time (property-based)', () => {
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('act' as const), index: fc.nat(20), action: fc.constantFrom(...ACTIONS) }),
    fc.record({ kind: fc.constant('send' as const) }),
    fc.record({ kind: fc.constant('tick' as const), hours: fc.integer({ min: 1, max: 24 * 20 }) }),
  );

  it('loses no orientation: each is final, or waiting with a reminder or expiry due, and reminded at most once', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 20 }),
        (steps, reminderDays) => {
          const delays = { ...DELAYS, reminderDays, expiryDays: reminderDays + 20 };
          let now = new Date('2026-01-05T09:00:00Z');
          const all: Model[] = [];
          let sent = 0;
          for (const s of steps) {
            if (s.kind === 'send') {
              all.push({
                state: 'sent',
                sentAt: now,
                answeredAt: null,
                closedAt: null,
                remindedAt: null,
                reminders: 0,
              });
              sent++;
            } else if (s.kind === 'tick') {
              now = new Date(now.getTime() + s.hours * 3_600_000);
              for (const o of all) runJob(o, now, delays);
            } else {
              const o = all[s.index % Math.max(all.length, 1)];
              if (!o) continue;
              const r = transition(o.state, s.action);
              if (r.ok) {
                if (o.state === 'sent' && r.to !== 'expired') o.answeredAt = now;
                o.state = r.to;
                if (FINAL_STATES.has(r.to)) o.closedAt = now;
              }
            }
            // Invariants after every step.
            assert.equal(all.length, sent, 'no orientation disappears');
            for (const o of all) {
              assert.ok(STATES.includes(o.state), `known state ${o.state}`);
              assert.ok(o.reminders <= 1, 'reminded once at most');
              const due = nextDue(o, delays);
              if (o.state === 'sent') {
                assert.ok(due.kind === 'remind' || due.kind === 'expire');
                assert.ok(due.at > now, 'what is due for a waiting orientation is still ahead (the job ran)');
                assert.ok(due.at <= addDays(o.sentAt, delays.expiryDays), 'and never later than its expiry');
              } else {
                assert.equal(due.kind, 'purge');
                if (FINAL_STATES.has(o.state))
                  assert.ok(o.closedAt, 'a final orientation has its closing date');
              }
            }
          }
          // Whatever happened, enough time with the job running ends every waiting orientation.
          now = addDays(now, delays.expiryDays + 1);
          for (const o of all) runJob(o, now, delays);
          for (const o of all) assert.ok(o.state !== 'sent', 'nothing waits past its expiry');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('how a place receives an orientation', () => {
  it('inbox when its structure has members, else e-mail link, else the sheet only; never when it says no', () => {
    assert.equal(
      deliveryFor({ structureHasMembers: true, referralEmail: 'a@b.fr', acceptsOrientations: 'yes' }),
      'inbox',
    );
    assert.equal(
      deliveryFor({ structureHasMembers: true, referralEmail: null, acceptsOrientations: null }),
      'inbox',
    );
    assert.equal(
      deliveryFor({ structureHasMembers: false, referralEmail: 'a@b.fr', acceptsOrientations: 'unknown' }),
      'email',
    );
    assert.equal(
      deliveryFor({ structureHasMembers: false, referralEmail: null, acceptsOrientations: 'yes' }),
      'sheet',
    );
    assert.equal(
      deliveryFor({ structureHasMembers: true, referralEmail: 'a@b.fr', acceptsOrientations: 'no' }),
      'sheet',
    );
  });
});

const VALID = {
  lieu: '6f1c1b9e-3a52-4d0e-9f1e-2b7c3c0a9d11',
  structure: '0b3e4d8a-8c6f-4f51-9a33-1f2e3d4c5b6a',
  besoin: ['caf'],
  message: 'Elle veut déclarer ses ressources.',
  urgence: 'normal',
  contact: 'phone',
  nom: 'Martine',
  telephone: '06 12 34 56 78',
  courriel: 'martine@example.org',
  contact_orienteur: '02 38 00 00 00',
  consentement: 'oui',
};

describe('the orientation form', () => {
  it('accepts a complete form, keeping only the contact needed', () => {
    const r = validateOrientationForm(readOrientationForm(VALID));
    assert.ok(r.ok);
    assert.equal(r.input.personPhone, '+33612345678');
    assert.equal(r.input.personEmail, null, 'the e-mail is not needed to phone her');
  });

  it('accepts an overseas number, as the directory’s import does (one phone rule)', () => {
    const r = validateOrientationForm(readOrientationForm({ ...VALID, telephone: '0692 12 34 56' }));
    assert.ok(r.ok);
    assert.equal(r.input.personPhone, '+262692123456');
  });

  it('refuses a form without the consent, naming it', () => {
    const r = validateOrientationForm(readOrientationForm({ ...VALID, consentement: '' }));
    assert.ok(!r.ok);
    assert.match(r.errors.consentement ?? '', /consentement/);
  });

  it('refuses an empty message and a message over 1000 characters, saying how long it is', () => {
    const empty = validateOrientationForm(readOrientationForm({ ...VALID, message: '   \u200b ' }));
    assert.ok(!empty.ok && /message/.test(empty.errors.message ?? ''));
    const huge = validateOrientationForm(readOrientationForm({ ...VALID, message: 'a'.repeat(1001) }));
    assert.ok(!huge.ok && /1001 caractères/.test(huge.errors.message ?? ''));
  });

  it('refuses a need outside the list, a malformed phone and e-mail, naming the value', () => {
    const r = validateOrientationForm(
      readOrientationForm({
        ...VALID,
        besoin: ['caf', '<script>x</script>'],
        telephone: '12',
        contact: 'email',
        courriel: 'pas-une-adresse',
      }),
    );
    assert.ok(!r.ok);
    assert.match(r.errors.besoin ?? '', /<script>x<\/script>/);
    assert.match(r.errors.telephone ?? '', /« 12 »/);
    assert.match(r.errors.courriel ?? '', /pas-une-adresse/);
  });

  it('asks for the phone when the person prefers a call, and for a name when the place contacts her', () => {
    const r = validateOrientationForm(readOrientationForm({ ...VALID, telephone: '', nom: '' }));
    assert.ok(!r.ok && r.errors.telephone && r.errors.nom);
    const self = validateOrientationForm(
      readOrientationForm({ ...VALID, contact: 'self', telephone: '', nom: '' }),
    );
    assert.ok(self.ok && self.input.personPhone === null && self.input.personName === null);
  });

  it('checks answers: a refusal needs a reason from the list, "other" needs a message', () => {
    const today = '2026-03-02';
    assert.deepEqual(validateAnswer({ decision: 'accept', reason: '', message: '' }, today), {
      ok: true,
      action: { type: 'accept' },
      message: null,
      appointment: null,
    });
    assert.equal(validateAnswer({ decision: 'refuse', reason: 'nope', message: '' }, today).ok, false);
    assert.equal(validateAnswer({ decision: 'refuse', reason: 'other', message: '' }, today).ok, false);
    assert.equal(validateAnswer({ decision: 'refuse', reason: 'full', message: '' }, today).ok, true);
    assert.equal(validateAnswer({ decision: 'maybe', reason: '', message: '' }, today).ok, false);
  });

  it('reads an appointment given with an acceptance: a real day not past, a time, with whom', () => {
    const today = '2026-03-02';
    const accept = (rdv_date: string, rdv_heure = '', rdv_avec = '') =>
      validateAnswer(
        { decision: 'accept', reason: '', message: 'Venez.', rdv_date, rdv_heure, rdv_avec },
        today,
      );
    assert.deepEqual(accept('24/03/2026', '9h30', 'Mme Durand'), {
      ok: true,
      action: { type: 'accept' },
      message: 'Venez.',
      appointment: { date: '2026-03-24', time: '09:30', with: 'Mme Durand' },
    });
    assert.deepEqual(accept('2026-03-02', '14:05'), {
      ok: true,
      action: { type: 'accept' },
      message: 'Venez.',
      appointment: { date: '2026-03-02', time: '14:05', with: null },
    });
    const errorsOf = (r: ReturnType<typeof accept>) => (r.ok ? {} : r.errors);
    assert.match(
      errorsOf(accept('31/02/2026')).rdv_date ?? '',
      /^Date du rendez-vous : « 31\/02\/2026 » n’est pas une date/,
    );
    assert.match(errorsOf(accept('demain')).rdv_date ?? '', /n’est pas une date/);
    assert.match(
      errorsOf(accept('01/03/2026')).rdv_date ?? '',
      /^Date du rendez-vous : le 1 mars 2026 est passé/,
    );
    assert.match(
      errorsOf(accept('24/03/2026', '25:00')).rdv_heure ?? '',
      /^Heure du rendez-vous : « 25:00 »/,
    );
    assert.match(
      errorsOf(accept('24/03/2026', '', 'x'.repeat(121))).rdv_avec ?? '',
      /^Avec qui : 121 caractères/,
    );
    assert.match(errorsOf(accept('', '10:00')).rdv_date ?? '', /donnez le jour/);
    assert.equal(errorsOf(accept('', '10:00')).rdv_heure, undefined);
  });
});

describe('signed links', () => {
  const secret = randomBytes(32);
  const link = {
    id: '6f1c1b9e-3a52-4d0e-9f1e-2b7c3c0a9d11',
    purpose: 'answer' as const,
    expiresAt: new Date('2026-06-01T00:00:00Z'),
  };

  it('reads back a token it signed', () => {
    const r = verifyLinkToken(secret, signLinkToken(secret, link));
    assert.ok(
      r.ok &&
        r.id === link.id &&
        r.purpose === 'answer' &&
        r.expiresAt.getTime() === link.expiresAt.getTime(),
    );
  });

  it('refuses any changed character, a changed expiry or purpose, and another installation’s secret', () => {
    const token = signLinkToken(secret, link);
    fc.assert(
      fc.property(
        fc.nat(token.length - 1),
        fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_ABCXYZ'),
        (i, ch) => {
          fc.pre(token[i] !== ch && token[i] !== '.');
          const changed = `${token.slice(0, i)}${ch}${token.slice(i + 1)}`;
          assert.equal(verifyLinkToken(secret, changed).ok, false);
        },
      ),
      { numRuns: 200 },
    );
    // Every other last character too: base64url's spare bits must not give a second valid spelling.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const accepted = [...alphabet].filter((ch) => verifyLinkToken(secret, `${token.slice(0, -1)}${ch}`).ok);
    assert.deepEqual(accepted, [token.slice(-1)]);
    const [id, , exp, mac] = token.split('.');
    assert.deepEqual(verifyLinkToken(secret, `${id}.close.${exp}.${mac}`), { ok: false, reason: 'tampered' });
    assert.deepEqual(verifyLinkToken(secret, `${id}.answer.${Number(exp) + 86400}.${mac}`), {
      ok: false,
      reason: 'tampered',
    });
    assert.deepEqual(verifyLinkToken(randomBytes(32), token), { ok: false, reason: 'tampered' });
    assert.deepEqual(verifyLinkToken(secret, 'jeton-inconnu'), { ok: false, reason: 'malformed' });
  });
});
