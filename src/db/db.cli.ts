import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type CliCommand, UsageError } from '../shared/cli-kit.ts';
import { DomainError } from '../shared/domain-error.ts';
import { acquireEmbeddedLock } from './embedded-lock.ts';
import { migrate } from './migrate.ts';

function onlyEmbedded(kind: 'embedded' | 'postgres', what: string): void {
  if (kind === 'postgres') {
    throw new DomainError(
      'invalid_input',
      `« db ${what} » concerne la base intégrée. Avec PostgreSQL (DATABASE_URL), utilisez pg_dump et pg_restore.`,
    );
  }
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
    summary: 'Sauvegarde la base intégrée dans un fichier (archive compressée).',
    options: {},
    needsMigratedDb: true,
    async run(ctx, { positionals }) {
      const file = positionals[0];
      if (!file) throw new UsageError('Indiquez le fichier de sauvegarde.');
      const handle = await ctx.open();
      onlyEmbedded(handle.kind, 'backup');
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
    summary: "Remplace la base intégrée par une sauvegarde (l'ancienne est gardée à côté).",
    options: {},
    needsMigratedDb: false,
    async run(ctx, { positionals }) {
      const file = positionals[0];
      if (!file) throw new UsageError('Indiquez le fichier de sauvegarde à restaurer.');
      if (ctx.config.databaseUrl) onlyEmbedded('postgres', 'restore');
      if (!fs.existsSync(file)) throw new DomainError('invalid_file', `Le fichier « ${file} » n'existe pas.`);
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
