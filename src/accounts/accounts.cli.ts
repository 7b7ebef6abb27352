import type { CliCommand } from '../shared/cli-kit.ts';
import { UsageError } from '../shared/cli-kit.ts';
import { createCoordinator, listAccounts } from './accounts.service.ts';
import { emailSchema, ROLE_LABELS } from './accounts.ts';
import { demoTotpCode } from './second-factor.service.ts';

function emailOption(value: string | boolean | undefined): string {
  if (typeof value !== 'string') throw new UsageError('Indiquez l’adresse avec --email ADRESSE.');
  const parsed = emailSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'Adresse e-mail non valable.');
  return parsed.data;
}

export const accountsCommands: CliCommand[] = [
  {
    name: 'accounts create-coordinator',
    usage: 'accounts create-coordinator --email ADRESSE',
    summary:
      'Crée un compte de coordinateur·rice et affiche un lien à usage unique (7 jours) pour choisir son mot de passe.',
    options: { email: { type: 'string' } },
    needsMigratedDb: true,
    async run(ctx, { values }) {
      const email = emailOption(values.email);
      const { db } = await ctx.open();
      const { link } = await createCoordinator(db, { kind: 'system' }, { email }, { config: ctx.config });
      if (ctx.json) ctx.out(`${JSON.stringify({ email, link })}\n`);
      else {
        ctx.out(`${link}\n`);
        ctx.err(
          `Transmettez ce lien à ${email} : il sert une seule fois, pendant 7 jours, pour choisir le mot de passe.\n`,
        );
      }
      return 0;
    },
  },
  {
    name: 'accounts list',
    usage: 'accounts list [--format json]',
    summary: 'Liste les comptes, leurs rôles et leurs structures.',
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const people = await listAccounts(db, { kind: 'system' });
      if (ctx.json) {
        ctx.out(
          `${JSON.stringify(
            people.map((p) => ({
              email: p.email,
              display_name: p.displayName,
              network_role: p.networkRole,
              totp_enabled: p.totpEnabled,
              demo: p.isDemo,
              memberships: p.memberships.map((m) => ({ structure: m.structureName, role: m.role })),
            })),
          )}\n`,
        );
        return 0;
      }
      if (people.length === 0) ctx.out('Aucun compte.\n');
      for (const p of people) {
        const roles = [
          ...(p.networkRole ? [ROLE_LABELS[p.networkRole]] : []),
          ...p.memberships.map((m) => `${ROLE_LABELS[m.role]} de ${m.structureName}`),
        ];
        ctx.out(
          `${p.email}\t${p.displayName}\t${roles.join(', ') || 'aucun rôle'}${p.isDemo ? '\t(démonstration)' : ''}\n`,
        );
      }
      return 0;
    },
  },
  {
    name: 'accounts totp-code',
    usage: 'accounts totp-code --email ADRESSE',
    summary: 'Affiche le code à 6 chiffres actuel d’un compte de démonstration (jamais d’un vrai compte).',
    options: { email: { type: 'string' } },
    needsMigratedDb: true,
    async run(ctx, { values }) {
      const email = emailOption(values.email);
      const { db } = await ctx.open();
      const code = await demoTotpCode(db, { kind: 'system' }, { email });
      ctx.out(ctx.json ? `${JSON.stringify({ email, code })}\n` : `${code}\n`);
      return 0;
    },
  },
];
