import type { CliCommand } from '../shared/cli-kit.ts';
import { runDueJobs } from './jobs.service.ts';

export const jobsCommands: CliCommand[] = [
  {
    name: 'jobs run-due',
    usage: 'jobs run-due',
    summary: 'Lance une fois les tâches planifiées qui sont dues (envoi des courriels, purges) : pour cron.',
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const handle = await ctx.open();
      const report = await runDueJobs(
        handle.db,
        { kind: 'system' },
        { kind: handle.kind },
        { config: ctx.config },
      );
      if (ctx.json) ctx.out(`${JSON.stringify(report)}\n`);
      else {
        if (report.queued?.done) ctx.out(`Travaux en file faits : ${report.queued.done}\n`);
        if (report.queued?.failed) ctx.out(`Travaux en file en échec : ${report.queued.failed}\n`);
        if (!report.led) ctx.out('Un autre processus exécute déjà les tâches : rien à faire.\n');
        else if (report.ran.length === 0) ctx.out('Aucune tâche due.\n');
        else
          for (const r of report.ran)
            ctx.out(
              `${r.name} : ${r.ok ? `fait ${JSON.stringify(r.result ?? null)}` : `échec (${r.error})`}\n`,
            );
      }
      return report.ran.some((r) => !r.ok) || report.queued?.failed ? 1 : 0;
    },
  },
];
