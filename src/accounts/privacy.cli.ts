import type { CliCommand } from '../shared/cli-kit.ts';
import { purgePersonalData } from './privacy.service.ts';

/** French names of the purge's counts, in the order printed. */
const COUNT_LABELS: Record<string, string> = {
  sessions: 'sessions terminées',
  tokens: 'liens expirés',
  rateLimits: "compteurs d'essais",
  networkMessageRecipients: 'destinataires de messages au réseau',
  sentMail: 'e-mails envoyés',
  errorReportContacts: 'contacts de signalements effacés',
  errorReports: 'signalements traités',
  joinRequests: 'demandes pour rejoindre une structure',
  inactiveAccounts: 'comptes inactifs',
  orientations: 'orientations (données personnelles effacées)',
};

export const privacyCommands: CliCommand[] = [
  {
    name: 'privacy purge',
    usage: 'privacy purge [--format json]',
    summary:
      'Efface les données personnelles dont la durée de conservation est passée (la même purge que la tâche quotidienne). Sans effet la seconde fois.',
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const counts = await purgePersonalData(db, { kind: 'system' }, { config: ctx.config, now: new Date() });
      if (ctx.json) {
        ctx.out(`${JSON.stringify(counts)}\n`);
        return 0;
      }
      for (const [key, n] of Object.entries(counts)) ctx.out(`${COUNT_LABELS[key] ?? key} : ${n}\n`);
      return 0;
    },
  },
];
