import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../shared/domain-error.ts';

/**
 * One process at a time on an embedded database: two PGlite processes on one data folder corrupt it.
 * The lock file holds the holder's PID; a lock left by a dead process is taken over.
 */
export interface EmbeddedLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireEmbeddedLock(dataDir: string): EmbeddedLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'maillage.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DomainError(
          'database_locked',
          `La base de données intégrée (${dataDir}) est déjà utilisée par un autre processus Maillage (PID ${holder}). ` +
            'Arrêtez ce processus avant de relancer cette commande, ou utilisez PostgreSQL (DATABASE_URL) pour plusieurs processus.',
          { dataDir, pid: holder },
        );
      }
      fs.rmSync(file, { force: true }); // stale lock from a dead process
    }
  }
  throw new DomainError(
    'database_locked',
    `Impossible de verrouiller la base de données intégrée (${dataDir}).`,
  );
}
