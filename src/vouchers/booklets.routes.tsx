import { type Context, Hono } from 'hono';
import { searchCommunes } from '../communes/commune-search.ts';
import { resolveTerritory } from '../communes/communes.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import {
  cancelBooklet,
  distributeBooklet,
  getBooklet,
  listMyBooklets,
  printBooklets,
} from './booklets.service.ts';
import {
  BOOKLET_NOTICES,
  BookletPage,
  type HandOverValues,
  LetterPage,
  MyBookletsPage,
  PrintBookletPage,
} from './booklets.views.tsx';
import { distributionLetter } from './letter.service.ts';
import type { FieldErrors } from './vouchers.ts';

type C = Context<AppEnv>;

/**
 * The prescribers' pages of the pass numérique: their booklets (`/pass/carnets`), one booklet with its
 * hand-over to a person and its cancellation (POST, then a redirect: refreshing repeats nothing), its
 * vouchers to print, and the letter for the person. Codes are the vouchers' only secret: never cached.
 */
export function bookletsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/pass/carnets', '/pass/carnets/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }
  // The territory's communes first when a name is shared by several (as the public search does).
  let preferred: ReadonlySet<string> | null = null;
  const resolveCommune = (c: C) => {
    preferred ??= new Set(resolveTerritory(c.get('config').territory).communes.map((x) => x.code));
    const near = preferred;
    return (text: string) => {
      const found = searchCommunes(text, near).exact;
      return found ? { code: found.code, name: found.nom } : null;
    };
  };

  app.get('/pass/carnets', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const booklets = await listMyBooklets(c.get('db'), auth.actor);
    return renderPage(c, <MyBookletsPage ctx={c.get('page')} booklets={booklets} />);
  });

  const bookletPage = async (
    c: C,
    form: { values?: HandOverValues; reason?: string; errors?: FieldErrors } = {},
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const view = await getBooklet(c.get('db'), auth.actor, { bookletId: c.req.param('id') ?? '' });
    return renderPage(
      c,
      <BookletPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        view={view}
        {...form}
        notice={ownEntry(BOOKLET_NOTICES, c.req.query('fait'))}
      />,
      form.errors && Object.keys(form.errors).length > 0 ? 422 : 200,
    );
  };

  app.get('/pass/carnets/:id', (c) => bookletPage(c));

  app.post('/pass/carnets/:id/remise', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const values: HandOverValues = {
      declared: body.declared === 'oui',
      ageBand: (body.ageBand ?? '').slice(0, 40),
      commune: (body.commune ?? '').slice(0, 100),
    };
    const id = c.req.param('id');
    const result = await distributeBooklet(
      c.get('db'),
      auth.actor,
      { bookletId: id, ...values },
      { resolveCommune: resolveCommune(c) },
    );
    if (!result.ok) return bookletPage(c, { values, errors: result.errors });
    return c.redirect(`/pass/carnets/${result.bookletId}?fait=remis`, 303);
  });

  app.post('/pass/carnets/:id/annuler', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const reason = (body.reason ?? '').slice(0, 1000);
    const id = c.req.param('id');
    const result = await cancelBooklet(c.get('db'), auth.actor, { bookletId: id, reason });
    if (!result.ok) return bookletPage(c, { reason, errors: result.errors });
    return c.redirect(`/pass/carnets/${id}?fait=annule`, 303);
  });

  app.get('/pass/carnets/:id/imprimer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const id = c.req.param('id');
    const view = await getBooklet(c.get('db'), auth.actor, { bookletId: id });
    const printable = await printBooklets(c.get('db'), auth.actor, {
      programmeId: view.programme.id,
      bookletId: id,
    });
    return renderPage(
      c,
      <PrintBookletPage ctx={c.get('page')} printable={printable} publicUrl={c.get('config').publicUrl} />,
    );
  });

  app.get('/pass/carnets/:id/lettre', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const letter = await distributionLetter(c.get('db'), auth.actor, { bookletId: c.req.param('id') });
    return renderPage(c, <LetterPage ctx={c.get('page')} letter={letter} />);
  });

  return app;
}
