import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { freePort } from '../../test/support/processes.ts';
import { decodedText, startSmtp } from '../../test/support/smtp-server.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { runJobs } from '../jobs/jobs.service.ts';
import { defaultQueuedHandlers } from '../jobs/schedule.service.ts';
import { deliverDueMail } from '../mail/mail.service.ts';
import { smtpTransport } from '../mail/smtp.ts';
import { importPlacesFile } from '../places/places-import.service.ts';
import { acceptInvitation, describeInvitation, inviteToStructure } from './accounts.service.ts';
import { ANONYMOUS } from './policy.ts';
import {
  requestPasswordReset,
  requestSignInLink,
  resetPassword,
  signInWithLink,
  signInWithPassword,
} from './sign-in.service.ts';

/**
 * The single-use links travel as real mail. Each is requested through the service, delivered
 * by the outbox to a real SMTP server on 127.0.0.1, read back from the message received, then used once;
 * a second use and a use after expiry are refused.
 */
after(closeTestTemplate);

const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', PUBLIC_URL: 'https://maillage.example.org' });
const T0 = new Date('2026-09-01T08:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe('single-use links by real mail', () => {
  it('invitation, password reset and sign-in link: received, used once, refused again and after expiry', async () => {
    const t = await createTestDb();
    const port = await freePort();
    const smtp = await startSmtp(port);
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
    // The job runner's two steps: queued jobs (a link request only enqueues one), then the outbox.
    const deliver = async (db: Db, now: Date) => {
      await runJobs(db, {
        jobs: [],
        queue: defaultQueuedHandlers(config),
        now,
        kind: t.kind === 'pg' ? 'postgres' : 'embedded',
      });
      return deliverDueMail(db, { transport, from: 'Maillage <m@example.org>', now });
    };
    /** The last link to `path` received by `to`, as a token. */
    const tokenFor = (to: string, path: string): string => {
      const message = smtp.received.filter((m) => m.to.includes(to)).at(-1);
      assert.ok(message, `a message reached ${to}`);
      const match = new RegExp(`https://maillage\\.example\\.org${path}/([A-Za-z0-9_-]+)`).exec(
        decodedText(message.raw),
      );
      assert.ok(match?.[1], `the message to ${to} holds a ${path} link`);
      return match[1];
    };
    try {
      await importPlacesFile(t.db, { kind: 'system' }, bytes(toCsv([sampleRow()])), { fileName: 'x.csv' });
      const { structure_id } = await t.db
        .selectFrom('place')
        .select('structure_id')
        .executeTakeFirstOrThrow();
      assert.ok(structure_id);

      // Invitation (7 days).
      await inviteToStructure(
        t.db,
        { kind: 'system' },
        { email: 'nouvelle@example.org', structureId: structure_id, role: 'staff', displayName: 'Nouvelle' },
        { config, now: T0 },
      );
      assert.deepEqual(await deliver(t.db, T0), { sent: 1, failed: 0 });
      const invitation = tokenFor('nouvelle@example.org', '/invitation');
      assert.equal(
        await describeInvitation(t.db, ANONYMOUS, { token: invitation }, { now: minutes(8 * 24 * 60) }),
        null,
      );
      const password = 'un mot de passe bien long';
      const accept = { token: invitation, displayName: 'Nouvelle', password, confirmation: password };
      assert.equal((await acceptInvitation(t.db, ANONYMOUS, accept, { config, now: minutes(5) })).ok, true);
      const again = await acceptInvitation(t.db, ANONYMOUS, accept, { config, now: minutes(6) });
      assert.equal(again.ok, false);

      // Password reset (1 hour).
      await requestPasswordReset(t.db, ANONYMOUS, { email: 'nouvelle@example.org' }, { now: minutes(10) });
      await deliver(t.db, minutes(10));
      const reset = tokenFor('nouvelle@example.org', '/mot-de-passe');
      const newPassword = 'un autre mot de passe long';
      const resetInput = { token: reset, password: newPassword, confirmation: newPassword };
      assert.deepEqual(await resetPassword(t.db, ANONYMOUS, resetInput, { config, now: minutes(75) }), {
        ok: false,
        reason: 'invalid_link',
      });
      assert.deepEqual(await resetPassword(t.db, ANONYMOUS, resetInput, { config, now: minutes(20) }), {
        ok: true,
      });
      assert.deepEqual(await resetPassword(t.db, ANONYMOUS, resetInput, { config, now: minutes(21) }), {
        ok: false,
        reason: 'invalid_link',
      });
      const signedIn = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: 'nouvelle@example.org', password: newPassword, client: '192.0.2.1' },
        { config, now: minutes(22) },
      );
      assert.equal(signedIn.ok, true);

      // Sign-in link (15 minutes).
      await requestSignInLink(t.db, ANONYMOUS, { email: 'nouvelle@example.org' }, { now: minutes(30) });
      await deliver(t.db, minutes(30));
      const late = tokenFor('nouvelle@example.org', '/connexion/lien');
      assert.equal(
        (await signInWithLink(t.db, ANONYMOUS, { token: late }, { config, now: minutes(46) })).ok,
        false,
      );
      await requestSignInLink(t.db, ANONYMOUS, { email: 'nouvelle@example.org' }, { now: minutes(50) });
      await deliver(t.db, minutes(50));
      const link = tokenFor('nouvelle@example.org', '/connexion/lien');
      assert.notEqual(link, late);
      assert.equal(
        (await signInWithLink(t.db, ANONYMOUS, { token: link }, { config, now: minutes(51) })).ok,
        true,
      );
      assert.equal(
        (await signInWithLink(t.db, ANONYMOUS, { token: link }, { config, now: minutes(52) })).ok,
        false,
      );
      // A tampered link (one character changed) is refused too.
      const tampered = `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`;
      assert.equal(
        (await signInWithLink(t.db, ANONYMOUS, { token: tampered }, { config, now: minutes(53) })).ok,
        false,
      );
      assert.equal(smtp.received.length, 4);
    } finally {
      transport.close();
      await smtp.close();
      await t.close();
    }
  });
});
