import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { twoStructures } from '../../test/support/two-structures.ts';
import type { Actor } from '../accounts/policy.ts';
import { purgePersonalData } from '../accounts/privacy.service.ts';
import { loadConfig } from '../config.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { getActivity, recordActivity } from './activities.service.ts';
import {
  createBeneficiary,
  deleteBeneficiary,
  getBeneficiary,
  linkBeneficiaryActivity,
  listBeneficiaries,
  purgeExpiredBeneficiaries,
  unlinkBeneficiaryActivity,
} from './beneficiaries.service.ts';
import { BENEFICIARY_MESSAGES as M } from './beneficiaries.ts';

after(closeTestTemplate);

const SYSTEM: Actor = { kind: 'system' };
const NOW = new Date('2026-06-15T10:00:00Z');
const opts = { now: NOW };
const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir' });

/** Two structures, each with a place and a mediator; a second mediator of the first; a coordinator; a funder. */
async function network(t: TestDb) {
  const db = t.db;
  const n = await twoStructures(db);
  const record = async (actor: Actor, structureId: string, placeId: string, date: string) => {
    const r = await recordActivity(
      db,
      actor,
      {
        structureId,
        values: {
          kind: 'individuel',
          date,
          duration: '30',
          placeKind: 'lieu_activite',
          placeId,
          themes: ['email'],
        },
      },
      opts,
    );
    assert.ok(r.ok, JSON.stringify(r));
    return r.activityId;
  };
  return {
    ...n,
    recordA: (date: string) => record(n.mediator, n.a, n.placeA, date),
    recordB: (date: string) => record(n.other, n.b, n.placeB, date),
  };
}

const forbidden = (error: unknown) => isDomainError(error) && error.code === 'forbidden';

const FULL = {
  firstName: '  Aïcha ',
  lastName: 'Benali',
  phone: '06 12 34 56 78',
  email: 'Aicha@Exemple.fr',
  gender: 'feminin',
  ageBand: 'soixante_dix_plus',
  socialStatus: 'retraite',
  communeCode: '45234',
  consent: 'oui',
};

describe('identified beneficiaries (personnes suivies)', () => {
  it('names a person with her consent, kept 24 months, seen by her structure only', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const r = await createBeneficiary(t.db, n.mediator, { structureId: n.a, values: FULL }, opts);
      assert.ok(r.ok, JSON.stringify(r));
      const d = await getBeneficiary(t.db, n.colleague, { beneficiaryId: r.beneficiaryId });
      assert.equal(d.beneficiary.firstName, 'Aïcha');
      assert.equal(d.beneficiary.phone, '+33612345678');
      assert.equal(d.beneficiary.email, 'aicha@exemple.fr');
      assert.equal(d.beneficiary.communeCode, '45234');
      assert.equal(d.beneficiary.consentAt.toISOString(), NOW.toISOString());
      assert.equal(d.beneficiary.retainUntil, '2028-06-15');
      assert.deepEqual(
        (await listBeneficiaries(t.db, n.mediator, { structureId: n.a })).map((b) => b.firstName),
        ['Aïcha'],
      );
      // Nobody outside the structure: not another structure, not a coordinator, not a funder; an
      // unknown id and a malformed one are refused exactly as another structure's.
      for (const actor of [n.other, n.coordinator, n.funder, { kind: 'anonymous' } as Actor]) {
        await assert.rejects(getBeneficiary(t.db, actor, { beneficiaryId: r.beneficiaryId }), forbidden);
        await assert.rejects(listBeneficiaries(t.db, actor, { structureId: n.a }), forbidden);
        await assert.rejects(
          createBeneficiary(t.db, actor, { structureId: n.a, values: FULL }, opts),
          forbidden,
        );
        await assert.rejects(
          deleteBeneficiary(t.db, actor, { beneficiaryId: r.beneficiaryId, confirm: 'oui' }),
          forbidden,
        );
      }
      for (const id of ['00000000-0000-4000-8000-000000000000', 'pas-un-id', "'; drop table x; --"])
        await assert.rejects(getBeneficiary(t.db, n.mediator, { beneficiaryId: id }), forbidden);
      assert.deepEqual(await listBeneficiaries(t.db, n.other, { structureId: n.b }), []);
    } finally {
      await t.close();
    }
  });

  it('refuses an empty first name, a bad phone or e-mail, unknown values and no consent, writing nothing', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const r = await createBeneficiary(
        t.db,
        n.mediator,
        {
          structureId: n.a,
          values: {
            firstName: '   ',
            phone: '12',
            email: 'pas une adresse',
            gender: 'autre',
            ageBand: '99',
            communeCode: 'abc',
            lastName: 'x'.repeat(61),
          },
        },
        opts,
      );
      assert.equal(r.ok, false);
      assert.ok(!r.ok);
      assert.deepEqual(Object.keys(r.errors).sort(), [
        'ageBand',
        'communeCode',
        'consent',
        'email',
        'firstName',
        'gender',
        'lastName',
        'phone',
      ]);
      assert.equal(r.errors.firstName, M.firstNameRequired);
      assert.equal(r.errors.consent, M.consentRequired);
      assert.match(r.errors.phone ?? '', /« 12 »/);
      assert.deepEqual(await listBeneficiaries(t.db, n.mediator, { structureId: n.a }), []);
    } finally {
      await t.close();
    }
  });

  it('links records of her structure only, moves retain_until with the last one, unlinks and moves it back', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const r = await createBeneficiary(t.db, n.mediator, { structureId: n.a, values: FULL }, opts);
      assert.ok(r.ok);
      const id = r.beneficiaryId;
      const early = await n.recordA('01/03/2026');
      const later = new Date('2026-09-01T08:00:00Z');
      const theirs = await n.recordB('10/06/2026');

      const offered = await getBeneficiary(t.db, n.mediator, { beneficiaryId: id });
      assert.deepEqual(
        offered.linkable.map((a) => a.id),
        [early],
      );
      const first = await linkBeneficiaryActivity(
        t.db,
        n.mediator,
        { beneficiaryId: id, activityId: early, firstTime: 'oui' },
        opts,
      );
      // A record before she was named does not shorten her retention: still two years after consent.
      assert.deepEqual(first, { ok: true, retainUntil: '2028-06-15' });
      assert.deepEqual(
        await linkBeneficiaryActivity(
          t.db,
          n.mediator,
          { beneficiaryId: id, activityId: early, firstTime: '' },
          opts,
        ),
        { ok: false, errors: { activityId: M.alreadyLinked } },
      );
      // Another structure's record, an unknown one, a malformed one: the same refusal.
      for (const activityId of [theirs, '00000000-0000-4000-8000-000000000000', 'nimporte'])
        assert.deepEqual(
          await linkBeneficiaryActivity(
            t.db,
            n.mediator,
            { beneficiaryId: id, activityId, firstTime: '' },
            opts,
          ),
          { ok: false, errors: { activityId: M.activityNotOurs } },
        );
      assert.deepEqual(
        await linkBeneficiaryActivity(
          t.db,
          n.mediator,
          { beneficiaryId: id, activityId: '', firstTime: 'peut-être' },
          opts,
        ),
        { ok: false, errors: { activityId: M.activityRequired, firstTime: M.firstTimeInvalid } },
      );
      // Another structure's staff cannot link even their own record to her.
      await assert.rejects(
        linkBeneficiaryActivity(
          t.db,
          n.other,
          { beneficiaryId: id, activityId: theirs, firstTime: '' },
          opts,
        ),
        forbidden,
      );

      // A record in September: her retention moves to September 2028.
      const sept = await recordActivity(
        t.db,
        n.colleague,
        {
          structureId: n.a,
          values: {
            kind: 'individuel',
            date: '2026-09-01',
            duration: '60',
            placeKind: 'a_distance',
            themes: ['email'],
          },
        },
        { now: later },
      );
      assert.ok(sept.ok);
      const moved = await linkBeneficiaryActivity(
        t.db,
        n.colleague,
        { beneficiaryId: id, activityId: sept.activityId, firstTime: 'non' },
        { now: later },
      );
      assert.deepEqual(moved, { ok: true, retainUntil: '2028-09-01' });
      const d = await getBeneficiary(t.db, n.mediator, { beneficiaryId: id });
      assert.deepEqual(
        d.linked.map((a) => [a.id, a.firstTime]),
        [
          [sept.activityId, false],
          [early, true],
        ],
      );
      assert.equal(d.beneficiary.retainUntil, '2028-09-01');
      assert.deepEqual(d.linkable, []);

      const back = await unlinkBeneficiaryActivity(t.db, n.mediator, {
        beneficiaryId: id,
        activityId: sept.activityId,
      });
      assert.deepEqual(back, { ok: true, retainUntil: '2028-06-15' });
      assert.deepEqual(
        await unlinkBeneficiaryActivity(t.db, n.mediator, { beneficiaryId: id, activityId: sept.activityId }),
        { ok: false, errors: { activityId: M.notLinked } },
      );
    } finally {
      await t.close();
    }
  });

  it('erases a person on request after a confirmation; her records and their counts stay', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const r = await createBeneficiary(t.db, n.mediator, { structureId: n.a, values: FULL }, opts);
      assert.ok(r.ok);
      const act = await n.recordA('01/06/2026');
      assert.ok(
        (
          await linkBeneficiaryActivity(
            t.db,
            n.mediator,
            { beneficiaryId: r.beneficiaryId, activityId: act, firstTime: 'oui' },
            opts,
          )
        ).ok,
      );
      assert.deepEqual(
        await deleteBeneficiary(t.db, n.mediator, { beneficiaryId: r.beneficiaryId, confirm: '' }),
        {
          ok: false,
          errors: { confirm: M.confirmRequired },
        },
      );
      assert.deepEqual(
        await deleteBeneficiary(t.db, n.mediator, { beneficiaryId: r.beneficiaryId, confirm: 'oui' }),
        {
          ok: true,
          structureId: n.a,
        },
      );
      await assert.rejects(getBeneficiary(t.db, n.mediator, { beneficiaryId: r.beneficiaryId }), forbidden);
      const kept = await getActivity(t.db, n.mediator, { activityId: act });
      assert.equal(kept.participants?.total, 1);
      const audit = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'activity_beneficiary.erased')
        .execute();
      assert.equal(audit.length, 1);
      assert.doesNotMatch(JSON.stringify(audit), /Aïcha|Benali|exemple\.fr/);
    } finally {
      await t.close();
    }
  });

  it('is erased by the privacy purge the day after retain_until, not before; the records stay', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const kept = await createBeneficiary(t.db, n.mediator, { structureId: n.a, values: FULL }, opts);
      const linked = await createBeneficiary(
        t.db,
        n.mediator,
        { structureId: n.a, values: { firstName: 'Jo', consent: 'oui' } },
        opts,
      );
      assert.ok(kept.ok && linked.ok);
      const act = await n.recordA('15/06/2026');
      const later = new Date('2026-12-01T08:00:00Z');
      const dec = await recordActivity(
        t.db,
        n.mediator,
        {
          structureId: n.a,
          values: {
            kind: 'individuel',
            date: '01/12/2026',
            duration: '30',
            placeKind: 'a_distance',
            themes: ['email'],
          },
        },
        { now: later },
      );
      assert.ok(dec.ok);
      await linkBeneficiaryActivity(
        t.db,
        n.mediator,
        { beneficiaryId: linked.beneficiaryId, activityId: act, firstTime: 'oui' },
        opts,
      );
      await linkBeneficiaryActivity(
        t.db,
        n.mediator,
        { beneficiaryId: linked.beneficiaryId, activityId: dec.activityId, firstTime: 'non' },
        { now: later },
      );

      // On the last day of her retention, nothing goes.
      assert.deepEqual(await purgeExpiredBeneficiaries(t.db, { now: new Date('2028-06-15T12:00:00Z') }), {
        beneficiaries: 0,
      });
      // The day after, the privacy purge (the daily job's entry point) erases the first, not the one
      // accompanied in December.
      const counts = await purgePersonalData(t.db, SYSTEM, { config, now: new Date('2028-06-16T12:00:00Z') });
      assert.equal(counts.beneficiaries, 1);
      const left = await listBeneficiaries(t.db, n.mediator, { structureId: n.a });
      assert.deepEqual(
        left.map((b) => [b.firstName, b.retainUntil]),
        [['Jo', '2028-12-01']],
      );
      assert.deepEqual(await purgeExpiredBeneficiaries(t.db, { now: new Date('2028-06-16T12:00:00Z') }), {
        beneficiaries: 0,
      });
      const after = await purgePersonalData(t.db, SYSTEM, { config, now: new Date('2028-12-02T12:00:00Z') });
      assert.equal(after.beneficiaries, 1);
      assert.deepEqual(await listBeneficiaries(t.db, n.mediator, { structureId: n.a }), []);
      // The records and their anonymous counts stay.
      for (const id of [act, dec.activityId])
        assert.equal((await getActivity(t.db, n.mediator, { activityId: id })).participants?.total, 1);
      const links = await t.db.selectFrom('activity_beneficiary_link').selectAll().execute();
      assert.deepEqual(links, []);
    } finally {
      await t.close();
    }
  });
});
