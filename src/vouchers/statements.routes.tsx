import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import {
  listMyStatements,
  listProgrammeStatements,
  recordStatementPayment,
  viewStatement,
} from './statements.service.ts';
import {
  type PaymentValues,
  STATEMENT_NOTICES,
  StatementPage,
  StatementsListPage,
  statementViewCsv,
} from './statements.views.tsx';
import type { FieldErrors } from './vouchers.ts';

/**
 * The monthly statements' pages (decision 0045): a place's structure's statements (`/pass/releves`), a
 * programme's for its funder and the coordinators, one statement (printable, with its payment form),
 * its CSV, and the payment form's answer.
 */
export function statementsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/pass/releves', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const statements = await listMyStatements(c.get('db'), auth.actor);
    return renderPage(
      c,
      <StatementsListPage
        ctx={c.get('page')}
        heading="Relevés de ma structure"
        back={{ href: '/pass', label: 'Pass numérique' }}
        statements={statements}
        showProgramme={true}
      />,
    );
  });

  app.get('/pass/programmes/:id/releves', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const r = await listProgrammeStatements(c.get('db'), auth.actor, { programmeId: c.req.param('id') });
    return renderPage(
      c,
      <StatementsListPage
        ctx={c.get('page')}
        heading={`Relevés mensuels — ${r.programme.name}`}
        back={{
          href: `/pass/programmes/${r.programme.id}`,
          label: `Retour au programme ${r.programme.name}`,
        }}
        statements={r.statements}
        showProgramme={false}
      />,
    );
  });

  const statementPage = async (c: Context<AppEnv>, form?: { values: PaymentValues; errors: FieldErrors }) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const view = await viewStatement(c.get('db'), auth.actor, { statementId: c.req.param('id') ?? '' });
    return renderPage(
      c,
      <StatementPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        view={view}
        values={form?.values ?? { amount: '', paidOn: '', reference: '' }}
        errors={form?.errors ?? {}}
        notice={ownEntry(STATEMENT_NOTICES, c.req.query('fait'))}
      />,
      form ? 422 : 200,
    );
  };

  app.get('/pass/releves/:id', (c) => statementPage(c));

  app.get('/pass/releves/:id/csv', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const r = statementViewCsv(
      await viewStatement(c.get('db'), auth.actor, { statementId: c.req.param('id') }),
    );
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${r.filename}"`);
    c.header('Cache-Control', 'no-store');
    return c.body(r.csv);
  });

  app.post('/pass/releves/:id/paiement', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const values: PaymentValues = {
      amount: (body.amount ?? '').slice(0, 40),
      paidOn: (body.paidOn ?? '').slice(0, 40),
      reference: (body.reference ?? '').slice(0, 200),
    };
    const id = c.req.param('id');
    const result = await recordStatementPayment(c.get('db'), auth.actor, { statementId: id, ...values });
    if (!result.ok) return statementPage(c, { values, errors: result.errors });
    return c.redirect(`/pass/releves/${id}?fait=paye`, 303);
  });

  return app;
}
