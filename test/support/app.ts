import pino from 'pino';
import { createApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';

/** The real app over a test database, for HTTP tests through app.request(). */
export function testApp(db: Db, env: Record<string, string> = {}) {
  const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', ...env });
  return createApp({ db, config, logger: pino({ level: 'silent' }) });
}
