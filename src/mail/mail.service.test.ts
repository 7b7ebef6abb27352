import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { freePort } from '../../test/support/processes.ts';
import { startSmtp } from '../../test/support/smtp-server.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { deliverDueMail, enqueueMail, listRecentMessages } from './mail.service.ts';
import { smtpTransport } from './smtp.ts';

after(closeTestTemplate);

describe('mail outbox over SMTP', () => {
  it('delivers queued messages to a real SMTP server; an outage delays them, recovery delivers each once', async () => {
    const t = await createTestDb();
    const port = await freePort();
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
    let smtp: Awaited<ReturnType<typeof startSmtp>> | null = null;
    try {
      const t0 = new Date('2026-05-04T08:00:00Z');
      await enqueueMail(
        t.db,
        { to: 'a@example.org', kind: 'other', subject: 'Première', text: 'Bonjour A, lien : https://x/1' },
        t0,
      );
      await enqueueMail(
        t.db,
        { to: 'b@example.org', kind: 'other', subject: 'Deuxième', text: 'Bonjour B' },
        t0,
      );

      // Outage: nothing listens on the port.
      const down = await deliverDueMail(t.db, { transport, from: 'Maillage <m@example.org>', now: t0 });
      assert.deepEqual(down, { sent: 0, failed: 2 });
      const waiting = await listRecentMessages(t.db);
      assert.ok(waiting.every((m) => m.status === 'pending' && m.attempts === 1 && m.lastError));

      smtp = await startSmtp(port);
      // Not due yet (retry after 1 minute): nothing is sent.
      const early = await deliverDueMail(t.db, {
        transport,
        from: 'Maillage <m@example.org>',
        now: new Date(t0.getTime() + 30_000),
      });
      assert.deepEqual(early, { sent: 0, failed: 0 });
      const later = new Date(t0.getTime() + 61_000);
      assert.deepEqual(
        await deliverDueMail(t.db, { transport, from: 'Maillage <m@example.org>', now: later }),
        {
          sent: 2,
          failed: 0,
        },
      );
      assert.deepEqual(
        await deliverDueMail(t.db, {
          transport,
          from: 'Maillage <m@example.org>',
          now: new Date(later.getTime() + 3_600_000),
        }),
        {
          sent: 0,
          failed: 0,
        },
      );
      assert.equal(smtp.received.length, 2);
      const toA = smtp.received.find((r) => r.to.includes('a@example.org'));
      assert.ok(toA);
      assert.match(toA.raw, /Subject: =\?UTF-8\?Q\?Premi=C3=A8re\?=|Subject: Première/);
      assert.match(toA.raw, /lien : https:\/\/x\/1/);
      assert.ok((await listRecentMessages(t.db)).every((m) => m.status === 'sent' && m.sentAt));
    } finally {
      transport.close();
      await smtp?.close();
      await t.close();
    }
  });
});
