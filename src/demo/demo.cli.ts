import type { CliCommand } from '../shared/cli-kit.ts';
import { removeDemo } from './demo.service.ts';

export const demoCommands: CliCommand[] = [
  {
    name: 'demo remove',
    usage: 'demo remove',
    summary: 'Supprime toutes les données de démonstration (elles ne reviendront pas).',
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const removed = await removeDemo(db, { kind: 'system' });
      if (ctx.json) ctx.out(`${JSON.stringify({ removed })}\n`);
      else
        ctx.out(
          `Données de démonstration supprimées : ${removed.places} lieux, ${removed.orientations} orientations.\n`,
        );
      return 0;
    },
  },
];
