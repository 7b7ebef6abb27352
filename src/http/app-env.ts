import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PageContext } from '../web/layout.tsx';

/** What every request handler can read from the context (set once by app.ts). */
export interface AppEnv {
  Variables: {
    db: Db;
    config: Config;
    logger: Logger;
    page: PageContext;
    territoryLabel: string;
    /** This request's id: in every log line written while serving it, its X-Request-Id, its error page. */
    requestId: string;
  };
}
