import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { runJobs } from '../jobs/jobs.service.ts';
import { defaultQueuedHandlers } from '../jobs/schedule.service.ts';
import { listRecentMessages } from '../mail/mail.service.ts';
import { acceptInvitation, createCoordinator } from './accounts.service.ts';
import { ANONYMOUS } from './policy.ts';

/**
 * "Mot de passe oublié" and "lien de connexion" do the same work for an address with an account and
 * for one without, before answering: the same statements on the same tables with the same row counts
 * (parameters differing only by the address), and the same bytes in the answer. Whether a mail leaves
 * is decided afterwards, by the queued job.
 */
after(closeTestTemplate);

interface Recorded {
  node: RootOperationNode;
  rows: number;
  affected: string;
}

/** Records every statement run through the database handle, with its row counts. */
function recorder() {
  const log: Recorded[] = [];
  const pending = new Map<unknown, RootOperationNode>();
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs) {
      pending.set(args.queryId, args.node);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const node = pending.get(args.queryId);
      pending.delete(args.queryId);
      if (node)
        log.push({
          node,
          rows: args.result.rows.length,
          affected: String(args.result.numAffectedRows ?? ''),
        });
      return args.result;
    },
  };
  return { plugin, log };
}

/** The statements as SQL text with parameters, the address and the instants replaced by markers. */
function describeStatements(db: Db, log: Recorded[], address: string) {
  return log.map((r) => {
    const compiled = db.getExecutor().compileQuery(r.node, { queryId: 'x' } as never);
    const params = JSON.stringify(compiled.parameters)
      .split(address)
      .join('«adresse»')
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '«instant»');
    return { sql: compiled.sql, params, rows: r.rows, affected: r.affected };
  });
}

describe('link requests for known and unknown addresses', () => {
  for (const path of ['/mot-de-passe-oublie', '/connexion/lien']) {
    it(`${path}: the same statements, row counts and answer for an address with and without an account`, async () => {
      const t = await createTestDb();
      try {
        const config = { DATA_DIR: '/nonexistent-test-dir', PUBLIC_URL: 'https://maillage.example.org' };
        const { link } = await createCoordinator(
          t.db,
          { kind: 'system' },
          { email: 'connue@example.org' },
          { config: loadConfig(config) },
        );
        const password = 'une phrase de passe solide';
        const accepted = await acceptInvitation(
          t.db,
          ANONYMOUS,
          { token: link.split('/').pop() as string, displayName: 'Connue', password, confirmation: password },
          { config: loadConfig(config) },
        );
        assert.ok(accepted.ok);
        const rec = recorder();
        const app = testApp(t.db.withPlugin(rec.plugin), config);
        const browser = cookieBrowser(app);
        const csrf = await browser.csrf('/mot-de-passe-oublie');
        const ask = async (email: string) => {
          rec.log.length = 0;
          const res = await browser.request(path, { form: { _csrf: csrf, email } });
          const body = Buffer.from(await res.arrayBuffer());
          return { status: res.status, body, statements: describeStatements(t.db, rec.log, email) };
        };
        await ask('echauffement@example.org'); // the installation's CSRF secret is read once
        const known = await ask('connue@example.org');
        const unknown = await ask('inconnue@example.org');
        assert.equal(known.status, 200);
        assert.deepEqual(unknown.statements, known.statements);
        assert.ok(known.statements.length >= 2, 'a counter and a queued job');
        assert.ok(known.statements.some((s) => /insert into "queued_job"/.test(s.sql)));
        assert.ok(
          !known.statements.some((s) => /"person"/.test(s.sql)),
          'no account lookup before answering',
        );
        assert.ok(unknown.body.equals(known.body), 'identical answers, byte for byte');
        // Afterwards, the job mails the known address only.
        await runJobs(t.db, {
          jobs: [],
          queue: defaultQueuedHandlers(loadConfig(config)),
          now: new Date(),
          kind: t.kind === 'pg' ? 'postgres' : 'embedded',
        });
        const mails = (await listRecentMessages(t.db)).filter((m) => m.kind !== 'invitation');
        assert.deepEqual(
          mails.map((m) => m.to),
          ['connue@example.org'],
        );
      } finally {
        await t.close();
      }
    });
  }
});
