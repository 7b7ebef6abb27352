import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type CliCommand, UsageError } from '../shared/cli-kit.ts';
import { DomainError } from '../shared/domain-error.ts';
import { acquireEmbeddedLock } from './embedded-lock.ts';
import { migrate, pendingMigrations } from './migrate.ts';
import { backupPostgres, inspectDump, restorePostgres } from './pg-backup.ts';

function kilobytes(bytes: number): string {
  return `${Math.round(bytes / 1024)} Ko`;
}

/** The copy of the current database a restore keeps, beside the file restored (as the embedded one does). */
function copyBeforeRestore(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(path.dirname(path.resolve(file)), `avant-restauration-${stamp}.dump`);
}

export const dbCommands: CliCommand[] = [
  {
    name: 'db migrate',
    usage: 'db migrate',
    summary: 'Applique les migrations en attente (base intégrée ou PostgreSQL).',
    options: {},
    needsMigratedDb: false,
    async run(ctx) {
      const { db } = await ctx.open();
      const applied = await migrate(db);
      if (ctx.json) ctx.out(`${JSON.stringify({ applied })}\n`);
      else
        ctx.out(
          applied.length ? `Migrations appliquées : ${applied.join(', ')}\n` : 'La base est déjà à jour.\n',
        );
      return 0;
    },
  },
  {
    name: 'db backup',
    usage: 'db backup <fichier>',
    summary:
      'Sauvegarde la base dans un fichier : archive compressée de la base intégrée, ou pg_dump (format custom) avec PostgreSQL.',
    options: {},
    needsMigratedDb: true,
    async run(ctx, { positionals }) {
      const file = positionals[0];
      if (!file) throw new UsageError('Indiquez le fichier de sauvegarde.');
      if (ctx.config.databaseUrl) {
        // pg_dump connects by itself; pending migrations do not matter (a backup comes before migrating).
        const target = path.resolve(file);
        const size = await backupPostgres(ctx.config.databaseUrl, target);
        if (ctx.json) ctx.out(`${JSON.stringify({ file: target, bytes: size })}\n`);
        else ctx.out(`Sauvegarde écrite : ${target} (${kilobytes(size)}, pg_dump)\n`);
        return 0;
      }
      const handle = await ctx.open();
      const dump = await handle.pglite!.dumpDataDir('gzip');
      const bytes = Buffer.from(await dump.arrayBuffer());
      const target = path.resolve(file);
      fs.writeFileSync(`${target}.partial`, bytes);
      fs.renameSync(`${target}.partial`, target);
      if (ctx.json) ctx.out(`${JSON.stringify({ file: target, bytes: bytes.length })}\n`);
      else ctx.out(`Sauvegarde écrite : ${target} (${Math.round(bytes.length / 1024)} Ko)\n`);
      return 0;
    },
  },
  {
    name: 'db restore',
    usage: 'db restore <fichier>',
    summary:
      "Remplace la base par une sauvegarde (l'ancienne est gardée à côté). Avec PostgreSQL : pg_restore, en une seule transaction.",
    options: {},
    needsMigratedDb: false,
    async run(ctx, { positionals }) {
      const file = positionals[0];
      if (!file) throw new UsageError('Indiquez le fichier de sauvegarde à restaurer.');
      if (!fs.existsSync(file)) throw new DomainError('invalid_file', `Le fichier « ${file} » n'existe pas.`);
      const url = ctx.config.databaseUrl;
      if (url) {
        const source = path.resolve(file);
        await inspectDump(url, source);
        const previous = copyBeforeRestore(source);
        try {
          await backupPostgres(url, previous);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          throw new DomainError(
            error.code,
            `Avant de restaurer, la copie de la base actuelle a échoué : rien n'a été restauré, la base n'a pas été modifiée.\n${error.message}`,
            error.details,
          );
        }
        await restorePostgres(url, source);
        const { db } = await ctx.open();
        const pending = await pendingMigrations(db);
        if (ctx.json) ctx.out(`${JSON.stringify({ restored: source, previous, pending })}\n`);
        else {
          ctx.out(`Base restaurée depuis ${source}.\n`);
          ctx.out(`L'ancienne base est gardée dans ${previous}.\n`);
          if (pending.length > 0)
            ctx.out(
              `La sauvegarde est plus ancienne que ce code : ${pending.length} migration(s) en attente. Lancez « npm run -s cli -- db migrate ».\n`,
            );
        }
        return 0;
      }
      const lock = acquireEmbeddedLock(ctx.config.dataDir);
      const live = path.join(ctx.config.dataDir, 'pglite');
      const staging = path.join(ctx.config.dataDir, `pglite.restoring-${process.pid}`);
      try {
        fs.rmSync(staging, { recursive: true, force: true });
        const blob = new Blob([fs.readFileSync(file)]);
        let restored: PGlite;
        try {
          restored = new PGlite(staging, { loadDataDir: blob });
          await restored.waitReady;
          await restored.query('select count(*) from schema_migration');
        } catch (error) {
          fs.rmSync(staging, { recursive: true, force: true });
          throw new DomainError(
            'invalid_file',
            `Le fichier « ${file} » n'est pas une sauvegarde Maillage lisible : la base actuelle n'a pas été modifiée.`,
            { cause: (error as Error).message },
          );
        }
        await restored.close();
        let previous: string | null = null;
        if (fs.existsSync(live)) {
          previous = path.join(
            ctx.config.dataDir,
            `pglite.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`,
          );
          fs.renameSync(live, previous);
        }
        fs.renameSync(staging, live);
        if (ctx.json) ctx.out(`${JSON.stringify({ restored: path.resolve(file), previous })}\n`);
        else {
          ctx.out(`Base restaurée depuis ${path.resolve(file)}.\n`);
          if (previous) ctx.out(`L'ancienne base est gardée dans ${previous}.\n`);
        }
        return 0;
      } finally {
        lock.release();
      }
    },
  },
];
