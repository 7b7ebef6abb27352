import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { twoStructures } from '../../test/support/two-structures.ts';
import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { isDomainError } from '../shared/domain-error.ts';
import {
  getActivity,
  lastActivityDefaults,
  listActivities,
  listCoordinationActivities,
  recordActivity,
  recordCoordinationActivity,
} from './activities.service.ts';
import type { ActivityValues } from './activities.ts';

after(closeTestTemplate);

const SYSTEM: Actor = { kind: 'system' };
const NOW = new Date('2026-06-15T10:00:00Z');
const opts = { now: NOW };

/**
 * Two structures: "Médiathèque" (a place, two mediators) and "Centre social" (a place, a mediator); a
 * coordinator and a funder's person, members of neither.
 */
const network = (t: TestDb) => twoStructures(t.db);

const count = async (db: Db, table: 'activity' | 'activity_participants' | 'coordination_activity') =>
  Number((await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

const refused = (code: string) => (error: unknown) => isDomainError(error) && error.code === code;

const accompaniment = (placeId: string, over: Partial<ActivityValues> = {}): Partial<ActivityValues> => ({
  kind: 'individuel',
  date: '15/06/2026',
  duration: '45',
  placeKind: 'lieu_activite',
  placeId,
  themes: ['navigation_sur_internet'],
  equipment: ['telephone'],
  ...over,
});

describe('activity records', () => {
  it("records an accompaniment at the structure's place, its name and commune copied, one anonymous person", async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const r = await recordActivity(
        t.db,
        n.mediator,
        {
          structureId: n.a,
          values: accompaniment(n.placeA, { gender: 'feminin', ageBand: 'soixante_dix_plus' }),
        },
        opts,
      );
      assert.ok(r.ok, JSON.stringify(r));
      const a = await getActivity(t.db, n.mediator, { activityId: r.activityId });
      assert.equal(a.structureId, n.a);
      assert.equal(a.authorId, n.mediator.kind === 'person' ? n.mediator.personId : null);
      assert.equal(a.placeName, 'Médiathèque Sud');
      assert.equal(a.communeCode, '45234');
      assert.equal(a.postalCode, '45000');
      assert.equal(a.durationMinutes, 45);
      assert.equal(a.source, 'maillage');
      assert.deepEqual(a.themes, ['navigation_sur_internet']);
      assert.equal(a.participants?.total, 1);
      assert.equal(a.participants?.gender.feminin, 1);
      assert.equal(a.participants?.ageBand.soixante_dix_plus, 1);
      assert.equal(a.participants?.socialStatus.non_communique, 1);
      const list = await listActivities(t.db, n.colleague, { structureId: n.a });
      assert.deepEqual(
        list.map((x) => [x.id, x.participantsTotal]),
        [[r.activityId, 1]],
      );
    } finally {
      await t.close();
    }
  });

  it('records a workshop with its anonymous participants counted by gender, age and status', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const r = await recordActivity(
        t.db,
        n.mediator,
        {
          structureId: n.a,
          values: {
            kind: 'collectif',
            date: '2026-06-12',
            duration: 'personnaliser',
            durationHours: '2',
            durationMinutes: '15',
            placeKind: 'autre',
            communeCode: '45208',
            themes: ['securite_numerique'],
            workshopTitle: 'Arnaques en ligne',
            workshopLevel: 'debutant',
            participantsTotal: '9',
            participantsAlreadyAccompanied: '4',
            participantsGender: { feminin: '6', masculin: '3' },
            participantsAgeBand: { soixante_soixante_neuf: '5', soixante_dix_plus: '2' },
            participantsSocialStatus: { retraite: '7' },
          },
        },
        opts,
      );
      assert.ok(r.ok, JSON.stringify(r));
      const a = await getActivity(t.db, n.colleague, { activityId: r.activityId });
      assert.equal(a.kind, 'collectif');
      assert.equal(a.durationMinutes, 135);
      assert.equal(a.placeId, null);
      assert.equal(a.communeCode, '45208');
      assert.equal(a.workshopTitle, 'Arnaques en ligne');
      assert.deepEqual(a.participants?.gender, { masculin: 3, feminin: 6, non_communique: 0 });
      assert.equal(a.participants?.ageBand.non_communique, 2);
      assert.equal(a.participants?.socialStatus.non_communique, 2);
      assert.equal(a.participants?.alreadyAccompanied, 4);
    } finally {
      await t.close();
    }
  });

  it('refuses bad input with a French message naming the field, and writes nothing', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const cases: [Partial<ActivityValues>, string, RegExp][] = [
        [accompaniment(n.placeA, { duration: '0' }), 'duration', /au moins 1 minute/],
        [accompaniment(n.placeA, { duration: '1440' }), 'duration', /dépasse 23 h 59/],
        [accompaniment(n.placeA, { date: '16/06/2026' }), 'date', /dans le futur/],
        [accompaniment(n.placeA, { themes: ['logement'] }), 'themes', /Aide aux démarches administratives/],
        [accompaniment(n.placeB), 'placeId', /pas un lieu de votre structure/],
        [accompaniment('00000000-0000-4000-8000-00000000abcd'), 'placeId', /n’existe pas/],
        [
          accompaniment(n.placeA, { orientationId: '00000000-0000-4000-8000-00000000abcd' }),
          'orientationId',
          /n’existe pas ou n’a pas été reçue par votre structure/,
        ],
        [
          {
            kind: 'collectif',
            date: '2026-06-12',
            duration: '60',
            placeKind: 'a_distance',
            themes: ['email'],
            participantsTotal: '5',
            participantsGender: { feminin: '4', masculin: '3' },
          },
          'participantsGender',
          /la somme \(7\) dépasse le nombre de participants \(5\)/,
        ],
      ];
      for (const [values, field, message] of cases) {
        const r = await recordActivity(t.db, n.mediator, { structureId: n.a, values }, opts);
        assert.ok(!r.ok, `${field} refused`);
        assert.match(r.errors[field] ?? '', message, JSON.stringify(r.errors));
      }
      assert.equal(await count(t.db, 'activity'), 0);
      assert.equal(await count(t.db, 'activity_participants'), 0);
    } finally {
      await t.close();
    }
  });

  // A record of a real redemption, and the second record of the same one, are in activities.routes.test.ts
  // (they need a pass numérique programme).
  it('refuses a redemption that does not exist, writing nothing', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const values = accompaniment(n.placeA, { voucherEntryId: '42' });
      const r = await recordActivity(t.db, n.mediator, { structureId: n.a, values }, opts);
      assert.ok(!r.ok);
      assert.match(r.errors.voucherEntryId ?? '', /n’existe pas ou n’a pas été fait dans un lieu/);
      assert.equal(await count(t.db, 'activity'), 0);
      assert.equal(await count(t.db, 'activity_participants'), 0);
    } finally {
      await t.close();
    }
  });

  it("never shows a structure another's records, nor any record to coordinators and funders", async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const r = await recordActivity(
        t.db,
        n.mediator,
        { structureId: n.a, values: accompaniment(n.placeA) },
        opts,
      );
      assert.ok(r.ok);
      const mine = await recordActivity(
        t.db,
        n.other,
        { structureId: n.b, values: accompaniment(n.placeB) },
        opts,
      );
      assert.ok(mine.ok);
      assert.deepEqual(
        (await listActivities(t.db, n.other, { structureId: n.b })).map((a) => a.id),
        [mine.activityId],
      );
      for (const actor of [n.other, n.coordinator, n.funder]) {
        await assert.rejects(listActivities(t.db, actor, { structureId: n.a }), refused('forbidden'));
        await assert.rejects(getActivity(t.db, actor, { activityId: r.activityId }), refused('forbidden'));
        await assert.rejects(
          recordActivity(t.db, actor, { structureId: n.a, values: accompaniment(n.placeA) }, opts),
          refused('forbidden'),
        );
        await assert.rejects(
          lastActivityDefaults(t.db, actor, { structureId: n.a }, opts),
          refused('forbidden'),
        );
      }
      await assert.rejects(
        listActivities(t.db, { kind: 'anonymous' }, { structureId: n.a }),
        refused('forbidden'),
      );
      // An unknown id is refused like another structure's record: nobody learns which ids exist.
      await assert.rejects(
        getActivity(t.db, n.mediator, { activityId: '00000000-0000-4000-8000-00000000abcd' }),
        refused('forbidden'),
      );
      await assert.rejects(
        getActivity(t.db, SYSTEM, { activityId: '00000000-0000-4000-8000-00000000abcd' }),
        refused('not_found'),
      );
      assert.equal(await count(t.db, 'activity'), 2);
    } finally {
      await t.close();
    }
  });

  it("prefills fast entry from the mediator's own last record, dated today, nothing of a beneficiary", async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const empty = await lastActivityDefaults(t.db, n.mediator, { structureId: n.a }, opts);
      assert.deepEqual(empty, {
        kind: 'individuel',
        date: '2026-06-15',
        duration: '30',
        placeKind: 'lieu_activite',
        themes: [],
        equipment: [],
      });
      const r = await recordActivity(
        t.db,
        n.mediator,
        {
          structureId: n.a,
          values: accompaniment(n.placeA, {
            date: '2026-06-10',
            duration: '90',
            gender: 'masculin',
            autonomy: 'autonome',
          }),
        },
        opts,
      );
      assert.ok(r.ok);
      const next = await lastActivityDefaults(t.db, n.mediator, { structureId: n.a }, opts);
      assert.deepEqual(next, {
        kind: 'individuel',
        date: '2026-06-15',
        duration: '90',
        placeKind: 'lieu_activite',
        placeId: n.placeA,
        communeCode: '',
        themes: ['navigation_sur_internet'],
        equipment: ['telephone'],
      });
      // The defaults are the mediator's own: a colleague starts from the plain ones.
      assert.deepEqual(await lastActivityDefaults(t.db, n.colleague, { structureId: n.a }, opts), empty);
      // And they make a record in one go.
      const again = await recordActivity(t.db, n.mediator, { structureId: n.a, values: next }, opts);
      assert.ok(again.ok, JSON.stringify(again));
    } finally {
      await t.close();
    }
  });

  it('lets the database itself refuse counts that do not add up and administrative themes alone', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const base = {
        structure_id: n.a,
        kind: 'individuel' as const,
        date: '2026-06-01',
        duration_minutes: 30,
        place_kind: 'a_distance' as const,
      };
      await assert.rejects(
        t.db
          .insertInto('activity')
          .values({ ...base, themes: ['logement'] })
          .execute(),
        /activity_administrative_themes/,
      );
      const id = (
        await t.db
          .insertInto('activity')
          .values({ ...base, themes: ['email'] })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      await assert.rejects(
        t.db
          .insertInto('activity_participants')
          .values({
            activity_id: id,
            total: 3,
            gender_feminin: 2,
            age_non_communique: 3,
            status_non_communique: 3,
          })
          .execute(),
        /activity_participants_gender/,
      );
      await assert.rejects(
        t.db
          .insertInto('activity')
          .values({ ...base, themes: ['email'], duration_minutes: 1440 })
          .execute(),
        /duration_minutes/,
      );
    } finally {
      await t.close();
    }
  });
});

describe('coordination activities', () => {
  it("records the network's local day as an event, for coordinators only, and lists it", async () => {
    const t = await createTestDb();
    try {
      const n = await network(t);
      const values = {
        kind: 'evenement',
        date: '2026-06-12',
        name: 'Journée locale du numérique',
        participants: '140',
        eventType: 'nec_local',
        organisers: ['ma_structure', 'epci'],
        territorialLevel: 'intercommunal',
      };
      for (const actor of [n.mediator, n.funder])
        await assert.rejects(recordCoordinationActivity(t.db, actor, { values }, opts), refused('forbidden'));
      const bad = await recordCoordinationActivity(
        t.db,
        n.coordinator,
        { values: { ...values, organisers: [] } },
        opts,
      );
      assert.ok(!bad.ok);
      assert.match(bad.errors.organisers ?? '', /au moins un organisateur/);
      assert.equal(await count(t.db, 'coordination_activity'), 0);
      const r = await recordCoordinationActivity(t.db, n.coordinator, { values }, opts);
      assert.ok(r.ok, JSON.stringify(r));
      const partnership = await recordCoordinationActivity(
        t.db,
        n.coordinator,
        {
          values: {
            kind: 'partenariat',
            date: '2026-06-02',
            partnershipNatures: ['subvention'],
            partners: [{ name: 'CCAS de Saran', type: 'autre', typeOther: 'CCAS' }],
          },
        },
        opts,
      );
      assert.ok(partnership.ok, JSON.stringify(partnership));
      const list = await listCoordinationActivities(t.db, n.coordinator);
      assert.deepEqual(
        list.map((a) => [a.kind, a.eventType, a.participants]),
        [
          ['evenement', 'nec_local', 140],
          ['partenariat', null, null],
        ],
      );
      assert.deepEqual(list[1]?.partners, [{ name: 'CCAS de Saran', type: 'autre', typeOther: 'CCAS' }]);
      await assert.rejects(listCoordinationActivities(t.db, n.mediator), refused('forbidden'));
    } finally {
      await t.close();
    }
  });
});
