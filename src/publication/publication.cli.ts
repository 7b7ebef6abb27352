import type { CliCommand } from '../shared/cli-kit.ts';
import { generatePublicationFiles } from './publication.service.ts';
import { FILES } from './publication.ts';

/** The command line acts as the system: whoever can run it already holds the database. */
const SYSTEM = { kind: 'system' } as const;

export const publicationCommands: CliCommand[] = [
  {
    name: 'places publish',
    usage: 'places publish [--format json]',
    summary:
      "Refait maintenant les fichiers de données ouvertes (/donnees : schéma national, data·inclusion, métadonnées), sans attendre l'heure.",
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const report = await generatePublicationFiles(db, SYSTEM, {
        config: ctx.config,
        now: new Date(),
        force: true,
      });
      if (ctx.json) {
        ctx.out(`${JSON.stringify(report)}\n`);
        return 0;
      }
      for (const file of FILES) {
        const count = report.counts[file.name] ?? 0;
        const state = report.changed.includes(file.name) ? 'refait' : 'inchangé';
        ctx.out(
          `/donnees/${file.name} : ${count} ${count === 1 ? file.records.one : file.records.many} (${state})\n`,
        );
      }
      return 0;
    },
  },
];
