import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { freePort } from '../../test/support/processes.ts';
import { decodedText, startSmtp } from '../../test/support/smtp-server.ts';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { runJobs } from '../jobs/jobs.service.ts';
import { defaultJobs } from '../jobs/schedule.service.ts';
import { smtpTransport } from '../mail/smtp.ts';
import { sendFreshnessReminders, staleBefore, viewDataQuality } from './freshness.service.ts';
import { importPlacesFile } from './places-import.service.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;

after(closeTestTemplate);

const NOW = new Date('2026-06-01T06:00:00Z');
const DAY = 24 * 3_600_000;
const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', PUBLIC_URL: 'https://maillage.example.org' });

/**
 * Three structures: A (an administrator and a staff member; two stale places, one fresh), B (an
 * administrator; one stale place), C (a staff member only; one stale place).
 */
async function network(db: Db) {
  await importPlacesFile(
    db,
    SYSTEM,
    bytes(
      toCsv([
        sampleRow({ id: 'a1', nom: 'Atelier A1', date_maj: '2025-05-31' }),
        sampleRow({ id: 'a2', nom: 'Atelier A2', date_maj: '2020-01-01' }),
        sampleRow({ id: 'a3', nom: 'Atelier A3 à jour', date_maj: '2025-12-01' }),
        sampleRow({ id: 'b1', nom: 'Bureau B1', date_maj: '2024-01-01' }),
        sampleRow({ id: 'c1', nom: 'Centre C1', date_maj: '2023-01-01' }),
      ]),
    ),
    { fileName: 'essai.csv' },
  );
  const places = Object.fromEntries(
    (await db.selectFrom('place').select(['id', 'source_id', 'structure_id']).execute()).map((p) => [
      p.source_id,
      p,
    ]),
  );
  const structureA = places.a1?.structure_id as string;
  await db.updateTable('structure').set({ nom: 'Structure A' }).where('id', '=', structureA).execute();
  const others: Record<string, string> = {};
  for (const [key, name, pivot] of [
    ['b1', 'Structure B', '00000000000001'],
    ['c1', 'Structure C', '00000000000002'],
  ] as const) {
    const s = await db
      .insertInto('structure')
      .values({ pivot, nom: name })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('place').set({ structure_id: s.id }).where('source_id', '=', key).execute();
    others[key] = s.id;
  }
  const person = async (email: string, structureId: string, role: 'structure_admin' | 'staff') => {
    const p = await db
      .insertInto('person')
      .values({ email, display_name: email.split('@')[0] as string })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('membership').values({ person_id: p.id, structure_id: structureId, role }).execute();
    return p.id;
  };
  await person('admin-a@example.org', structureA, 'structure_admin');
  await person('equipe-a@example.org', structureA, 'staff');
  await person('admin-b@example.org', others.b1 as string, 'structure_admin');
  await person('equipe-c@example.org', others.c1 as string, 'staff');
  const id = (key: string) => places[key]?.id as string;
  return { id, structureA };
}

async function outbox(db: Db) {
  return db.selectFrom('mail_outbox').selectAll().orderBy('created_at').orderBy('to_address').execute();
}

const coordinator: Actor = { kind: 'person', personId: 'c', networkRole: 'coordinator', memberships: [] };

describe('freshness of places', () => {
  it('counts a place as stale when date_maj is missing or older than 12 months', () => {
    assert.equal(staleBefore(NOW), '2025-06-01');
    assert.equal(staleBefore(new Date('2026-01-15T23:00:00Z')), '2025-01-15');
  });

  it('lists stale places with their structure on the data-quality view, for coordinators only', async () => {
    const t = await createTestDb();
    try {
      const { id } = await network(t.db);
      const view = await viewDataQuality(t.db, coordinator, { now: NOW });
      assert.equal(view.staleByStructure.count, 4);
      assert.deepEqual(
        view.staleByStructure.places.map((p) => [p.structureName, p.nom, p.dateMaj]),
        [
          ['Structure A', 'Atelier A1', '2025-05-31'],
          ['Structure A', 'Atelier A2', '2020-01-01'],
          ['Structure B', 'Bureau B1', '2024-01-01'],
          ['Structure C', 'Centre C1', '2023-01-01'],
        ],
      );
      assert.ok(!view.staleByStructure.places.some((p) => p.id === id('a3')));
      const staff: Actor = { kind: 'person', personId: 's', networkRole: null, memberships: [] };
      await assert.rejects(() => viewDataQuality(t.db, staff, { now: NOW }), { code: 'forbidden' });
      await assert.rejects(() => viewDataQuality(t.db, { kind: 'anonymous' }, { now: NOW }), {
        code: 'forbidden',
      });
    } finally {
      await t.close();
    }
  });

  it('mails each structure’s administrators their stale places with edit links, at most once every 30 days', async () => {
    const t: TestDb = await createTestDb();
    try {
      const { id, structureA } = await network(t.db);
      const first = await sendFreshnessReminders(t.db, { config, now: NOW });
      assert.deepEqual(first, { structures: 2, messages: 2, places: 3 });
      const mails = await outbox(t.db);
      assert.deepEqual(
        mails.map((m) => m.to_address),
        ['admin-a@example.org', 'admin-b@example.org'],
        'administrators only; a structure without one (C) gets nothing',
      );
      const toA = mails[0];
      assert.ok(toA);
      assert.equal(toA.subject, 'Maillage : 2 lieux à vérifier (Structure A)');
      assert.ok(toA.text_body.includes(`https://maillage.example.org/lieux/${id('a1')}/modifier`));
      assert.ok(toA.text_body.includes(`https://maillage.example.org/lieux/${id('a2')}/modifier`));
      assert.ok(!toA.text_body.includes(id('a3')), 'a place updated within 12 months is not listed');
      assert.match(toA.text_body, /Atelier A2 \(Orléans\) : mis à jour le 1 janvier 2020/);
      const reminders = await t.db.selectFrom('freshness_reminder').selectAll().execute();
      assert.equal(reminders.length, 2);
      assert.deepEqual(
        reminders.find((r) => r.structure_id === structureA)?.place_ids.sort(),
        [id('a1'), id('a2')].sort(),
      );

      // The next days: nothing new, until 30 days have passed.
      for (const days of [1, 15, 29]) {
        const again = await sendFreshnessReminders(t.db, {
          config,
          now: new Date(NOW.getTime() + days * DAY),
        });
        assert.deepEqual(again, { structures: 0, messages: 0, places: 0 }, `day ${days}`);
      }
      // A change waiting for the coordinator: the structure did its part, the place is not listed.
      await t.db
        .insertInto('place_change')
        .values({
          place_id: id('a2'),
          structure_id: structureA,
          proposed_by_label: 'admin-a',
          base: '{}',
          proposed: '{}',
        })
        .execute();
      const later = await sendFreshnessReminders(t.db, { config, now: new Date(NOW.getTime() + 30 * DAY) });
      assert.deepEqual(later, { structures: 2, messages: 2, places: 2 });
      const second = (await outbox(t.db)).slice(2);
      const secondToA = second.find((m) => m.to_address === 'admin-a@example.org');
      assert.equal(secondToA?.subject, 'Maillage : 1 lieu à vérifier (Structure A)');
      assert.ok(!secondToA?.text_body.includes(id('a2')));
    } finally {
      await t.close();
    }
  });

  it('reaches a real SMTP server through the job runner, link included', async () => {
    const t = await createTestDb();
    const port = await freePort();
    const smtp = await startSmtp(port);
    const { received } = smtp;
    const smtpConfig = loadConfig({
      DATA_DIR: '/nonexistent-test-dir',
      PUBLIC_URL: 'https://maillage.example.org',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    });
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
    try {
      const { id } = await network(t.db);
      const report = await runJobs(t.db, {
        jobs: defaultJobs(smtpConfig, transport),
        now: NOW,
        kind: t.kind === 'pg' ? 'postgres' : 'embedded',
      });
      const job = report.ran.find((r) => r.name === 'places.freshness-reminders');
      assert.deepEqual(job, {
        name: 'places.freshness-reminders',
        ok: true,
        result: { structures: 2, messages: 2, places: 3 },
      });
      assert.equal(received.length, 2);
      const toA = received.find((r) => r.to.includes('admin-a@example.org'));
      assert.ok(toA);
      const body = decodedText(toA.raw);
      assert.ok(
        body.includes(`https://maillage.example.org/lieux/${id('a1')}/modifier`),
        'the edit link arrives whole',
      );
      assert.match(body, /Atelier A1 \(Orléans\)/);
      assert.match(toA.raw, /Subject: .*Maillage/);
      // The next day the job runs again and sends nothing more.
      const next = await runJobs(t.db, {
        jobs: defaultJobs(smtpConfig, transport),
        now: new Date(NOW.getTime() + DAY),
        kind: t.kind === 'pg' ? 'postgres' : 'embedded',
      });
      assert.deepEqual(next.ran.find((r) => r.name === 'places.freshness-reminders')?.result, {
        structures: 0,
        messages: 0,
        places: 0,
      });
      assert.equal(received.length, 2);
    } finally {
      transport.close();
      await smtp.close();
      await t.close();
    }
  });
});
