import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { issueMessage, PUBLIC_STRINGS, slotWords } from './callbacks.strings.ts';
import {
  type CallbackForm,
  type CallbackIssue,
  checkCallbackForm,
  dueOn,
  newReference,
  offeredDays,
  openingOf,
  phoneKey,
  REFERENCE_PATTERN,
} from './callbacks.ts';

const TODAY = '2026-12-07'; // a Monday
const HOURS = 'Tu-Fr 10:00-12:00,14:00-18:00; Sa 10:00-12:00';

const form = (over: Partial<CallbackForm> = {}): CallbackForm => ({
  firstName: 'Nadia',
  phone: '06 12 34 56 78',
  day: '',
  part: 'indifferent',
  consent: true,
  ...over,
});

describe('the days a person may choose', () => {
  it("offers the place's open half-days from tomorrow to 14 days ahead, never a holiday", () => {
    const days = offeredDays('2026-12-18', openingOf(HOURS, '45234', '45000', '2026-12-18'));
    const dates = days.map((d) => d.date);
    assert.equal(dates[0], '2026-12-19'); // Saturday: open in the morning
    assert.deepEqual(days[0], { date: '2026-12-19', morning: true, afternoon: false });
    assert.ok(!dates.includes('2026-12-21'), 'closed on Mondays');
    assert.ok(!dates.includes('2026-12-25'), 'Christmas');
    assert.ok(!dates.includes('2027-01-01'), "New Year's Day");
    assert.ok(dates.every((d) => d > '2026-12-18' && d <= '2027-01-01'));
  });

  it('never offers a day of a temporary closure, both ends included', () => {
    const days = offeredDays(TODAY, null, [{ startsOn: '2026-12-09', endsOn: '2026-12-10' }]);
    assert.deepEqual(
      days.slice(0, 3).map((d) => d.date),
      ['2026-12-08', '2026-12-11', '2026-12-14'],
    );
    const checked = checkCallbackForm(form({ day: '2026-12-10' }), TODAY, days);
    assert.ok(!checked.ok && checked.issues[0]?.code === 'closed');
  });

  it('offers a half-day only when the place is open at least an hour in it (noon splits the day)', () => {
    // Tuesday 2026-12-08; each line: the hours, then [morning, afternoon] offered that day.
    const table: [string, boolean, boolean][] = [
      ['Tu 09:00-12:30', true, false], // 30 minutes after noon: no afternoon
      ['Tu 09:00-13:00', true, true],
      ['Tu 11:30-14:00', false, true], // 30 minutes before noon: no morning
      ['Tu 11:00-13:00', true, true],
      ['Tu 14:00-18:00', false, true],
      ['Tu 08:00-08:45', false, false], // never an hour: the day is not offered
      ['Tu 10:00-10:30,11:00-11:30', true, false], // two half hours make an hour
      ['Tu 09:00-12:00,12:00-12:59', true, false],
      ['Tu 00:00-24:00', true, true],
    ];
    for (const [hours, morning, afternoon] of table) {
      const day = offeredDays(TODAY, openingOf(hours, '45234', '45000', TODAY)).find(
        (d) => d.date === '2026-12-08',
      );
      assert.deepEqual(day ? [day.morning, day.afternoon] : [false, false], [morning, afternoon], hours);
    }
  });

  it('offers working days when the hours are unknown or unreadable', () => {
    for (const opening of [null, openingOf('sur rendez-vous', '45234', null, TODAY)]) {
      const days = offeredDays(TODAY, opening);
      assert.deepEqual(
        days.map((d) => d.date),
        [
          '2026-12-08',
          '2026-12-09',
          '2026-12-10',
          '2026-12-11',
          '2026-12-14',
          '2026-12-15',
          '2026-12-16',
          '2026-12-17',
          '2026-12-18',
          '2026-12-21',
        ],
      );
      assert.ok(days.every((d) => d.morning && d.afternoon));
    }
  });
});

describe('the call-back form', () => {
  const offered = offeredDays(TODAY, openingOf(HOURS, '45234', '45000', TODAY));

  it('accepts a first name, a French number in any usual writing, and an open half-day', () => {
    const checked = checkCallbackForm(
      form({ phone: '+33 (0)6.12.34.56.78', day: '2026-12-08', part: 'apres-midi' }),
      TODAY,
      offered,
    );
    assert.deepEqual(checked, {
      ok: true,
      value: { firstName: 'Nadia', phone: '+33612345678', slotDate: '2026-12-08', slotPart: 'afternoon' },
    });
    assert.equal(checkCallbackForm(form({ firstName: "Marie-Josée d'Arc" }), TODAY, offered).ok, true);
  });

  it('refuses every impossible slot, naming the field and the day', () => {
    const cases: [string, string, string][] = [
      ['2026-12-01', 'past', 'le mardi 1 décembre est passé'],
      [TODAY, 'today', 'pour aujourd’hui'],
      ['2026-12-22', 'too_far', 'trop loin'],
      ['2026-12-25', 'too_far', 'trop loin'],
      ['2026-12-14', 'closed', 'le lieu est fermé le lundi 14 décembre'],
      ['2026-12-13', 'closed', 'dimanche 13 décembre'],
      ['demain', 'not_a_date', '« demain »'],
      ['2026-02-30', 'not_a_date', '« 2026-02-30 »'],
    ];
    for (const [day, code, words] of cases) {
      const checked = checkCallbackForm(form({ day }), TODAY, offered);
      assert.equal(checked.ok, false, day);
      if (checked.ok) continue;
      const issue = checked.issues[0];
      assert.equal(issue?.field, 'jour', day);
      assert.equal(issue?.code, code, day);
      assert.ok(issue && issueMessage(issue).startsWith('Jour : '), day);
      assert.ok(issue && issueMessage(issue).includes(words), `${day}: ${issue && issueMessage(issue)}`);
    }
    const holiday = checkCallbackForm(
      form({ day: '2026-11-11' }),
      '2026-11-03',
      offeredDays('2026-11-03', null),
    );
    assert.ok(!holiday.ok && holiday.issues[0]?.code === 'holiday');
    const saturdayAfternoon = checkCallbackForm(
      form({ day: '2026-12-12', part: 'apres-midi' }),
      TODAY,
      offered,
    );
    assert.ok(!saturdayAfternoon.ok);
    assert.equal(
      issueMessage(saturdayAfternoon.issues[0] as never),
      'Moment : le lieu est fermé l’après-midi du samedi 12 décembre. Choisissez un autre moment.',
    );
  });

  it('refuses a malformed number, a name with signs, a long name and a missing consent, all at once', () => {
    const checked = checkCallbackForm(
      form({ firstName: '<script>alert(1)</script>', phone: '12 34', consent: false, part: 'soir' }),
      TODAY,
      offered,
    );
    assert.ok(!checked.ok);
    const words = checked.issues.map((i) => issueMessage(i));
    assert.deepEqual(
      checked.issues.map((i) => `${i.field}:${i.code}`),
      ['prenom:not_a_name', 'telephone:not_french', 'moment:unknown', 'accord:missing'],
    );
    assert.match(words[0] ?? '', /^Prénom : « <script>alert\(1\)<\/script> » n’est pas un prénom/);
    assert.match(words[1] ?? '', /^Numéro de téléphone : « 12 34 » n’est pas un numéro français/);
    const long = checkCallbackForm(
      form({ firstName: 'A'.repeat(5000), phone: '0'.repeat(5000) }),
      TODAY,
      offered,
    );
    assert.ok(!long.ok);
    assert.deepEqual(
      long.issues.map((i) => [i.field, i.code, i.value.length <= 60]),
      [
        ['prenom', 'too_long', true],
        ['telephone', 'too_long', true],
      ],
    );
    const foreign = checkCallbackForm(form({ phone: '+44 20 7946 0958' }), TODAY, offered);
    assert.ok(!foreign.ok && foreign.issues[0]?.code === 'not_french');
  });
});

describe('references, deadlines and words', () => {
  it('draws 6-character references without ambiguous letters or digits', () => {
    const refs = new Set(Array.from({ length: 2000 }, newReference));
    assert.ok(refs.size > 1990);
    for (const r of refs) assert.match(r, REFERENCE_PATTERN);
    assert.ok(![...refs].some((r) => /[0O1IL2Z5S8B]/.test(r)));
  });

  it('gives 2 working days after the request, or after the day chosen', () => {
    assert.equal(dueOn('2026-12-04', null), '2026-12-08'); // Friday → Tuesday
    assert.equal(dueOn('2026-12-07', '2026-12-11'), '2026-12-15');
    assert.equal(dueOn('2026-12-23', null), '2026-12-28');
  });

  it('keys the phone limit on an HMAC under a secret, never on the number or its plain hash', () => {
    const secret = Buffer.alloc(32, 7);
    const key = phoneKey(secret, '+33612345678');
    assert.doesNotMatch(key, /612345678/);
    assert.equal(key, phoneKey(secret, '+33612345678'));
    assert.notEqual(key, phoneKey(Buffer.alloc(32, 8), '+33612345678'), 'another installation');
    assert.notEqual(key, phoneKey(secret, '+33612345679'));
    const plain = createHash('sha256').update('callback-phone:+33612345678').digest('hex').slice(0, 32);
    assert.notEqual(key, plain);
  });

  it('says the slot in words', () => {
    assert.equal(slotWords(null, 'any'), 'dès que possible');
    assert.equal(slotWords('2026-12-08', 'morning'), 'le mardi 8 décembre, le matin');
    assert.equal(slotWords(null, 'afternoon'), 'dès que possible, l’après-midi');
  });
});

describe('the words of the public pages', () => {
  const sentences = (text: string) =>
    text
      .split(/(?<=[.!?])\s+/)
      .map((x) => x.trim())
      .filter(Boolean);
  const words = (sentence: string) => sentence.split(/\s+/).filter((w) => /[\p{L}\d]/u.test(w)).length;
  const sample = (text: unknown) =>
    typeof text === 'function'
      ? String((text as (...a: unknown[]) => string)('Médiathèque', 'demain'))
      : String(text);

  it('says the configured limits and their rolling windows, not "today" and "tomorrow"', () => {
    for (const falc of [false, true]) {
      const s = PUBLIC_STRINGS.pick(falc);
      assert.match(s.limitedPhone(5), /5 demandes de rappel dans les 24 heures/);
      assert.match(s.limitedPhone(1), /1 demande de rappel dans les 24 heures/);
      assert.match(s.limitedClient(7), /7 demandes de rappel dans l’heure/);
      for (const text of [s.limitedPhone(5), s.limitedClient(7)])
        assert.doesNotMatch(text, /aujourd’hui|demain|deux/);
    }
  });

  it('has FALC field messages: the same field named first, the value typed, short sentences', () => {
    const issues: CallbackIssue[] = [
      { field: 'prenom', code: 'missing', value: '' },
      { field: 'prenom', code: 'too_long', value: 'Anne-Marie' },
      { field: 'prenom', code: 'not_a_name', value: 'R2D2' },
      { field: 'telephone', code: 'missing', value: '' },
      { field: 'telephone', code: 'too_long', value: '0612345678901' },
      { field: 'telephone', code: 'not_french', value: '12 34' },
      ...(['not_a_date', 'past', 'today', 'too_far', 'holiday', 'closed'] as const).map(
        (code): CallbackIssue => ({
          field: 'jour',
          code,
          value: code === 'not_a_date' ? 'lundi' : '2026-12-08',
        }),
      ),
      { field: 'moment', code: 'unknown', value: '' },
      { field: 'moment', code: 'unknown', value: 'la nuit' },
      { field: 'moment', code: 'closed', value: 'apres-midi', day: '2026-12-12' },
      { field: 'accord', code: 'missing', value: '' },
    ];
    let different = 0;
    for (const issue of issues) {
      const normal = issueMessage(issue);
      const easy = issueMessage(issue, true);
      if (easy !== normal) different++;
      assert.equal(easy.split(' : ')[0], normal.split(' : ')[0], easy);
      if (issue.value && issue.field !== 'jour' && issue.code !== 'closed')
        assert.ok(easy.includes(issue.value), easy);
      assert.doesNotMatch(easy, /·/);
      for (const sentence of sentences(easy)) assert.ok(words(sentence) <= 15, sentence);
    }
    assert.ok(different >= 8, 'the FALC words are not the ordinary ones');
  });

  it('gives every entry a FALC variant of the same kind, in short sentences', () => {
    const problems: string[] = [];
    for (const [key, entry] of Object.entries(PUBLIC_STRINGS.entries)) {
      const e = entry as { normal: unknown; falc?: unknown };
      if (e.falc === undefined || typeof e.falc !== typeof e.normal) problems.push(`${key}: no FALC variant`);
      for (const s of sentences(sample(e.normal))) if (words(s) > 25) problems.push(`${key}: « ${s} »`);
      for (const s of sentences(sample(e.falc))) if (words(s) > 15) problems.push(`${key} (falc): « ${s} »`);
    }
    assert.deepEqual(problems, []);
  });
});
