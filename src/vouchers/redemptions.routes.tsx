import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { localToday } from '../places/place-dates.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import {
  cancelRedemption,
  describeVoucher,
  listRedemptions,
  myRedemptionPlaces,
  redeemVoucher,
} from './redemptions.service.ts';
import {
  REDEMPTION_NOTICES,
  RedeemedPage,
  RedeemPage,
  type RedeemValues,
  RedemptionsPage,
} from './redemptions.views.tsx';
import { type FieldErrors, MESSAGES } from './vouchers.ts';

type C = Context<AppEnv>;
type Auth = Exclude<ReturnType<typeof requireSession>, Response>;

/** A posted or queried field as one string (the last one if repeated), or '' when absent. */
const one = (value: unknown): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
};
const many = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').slice(0, 50);

/** A fresh request key for one form: the same key sent twice gets the first answer (decision 0037). */
const newKey = () => randomBytes(16).toString('base64url');

/** Refusals that are a limit, not a mistake in the form. */
const statusOf = (refusal: string | undefined): ContentfulStatusCode =>
  refusal === 'too_many_guesses' ? 429 : 422;

const isCoordinator = (auth: Auth) =>
  auth.actor.kind === 'person' && auth.actor.networkRole === 'coordinator';

/**
 * A qualified place's pages of the pass numérique: `/pass/encaisser` (choose the place, type the code or
 * open it from the voucher's QR code, check what the voucher is, say what help it paid for, redeem) and `/pass/encaissements` (the
 * place's redemptions, all of them for the coordinators, each cancellable as the rules allow). A
 * redemption's POST carries a key drawn when the form was shown: sending it again (a refresh, a double
 * click) shows the first answer and never redeems twice. Never cached.
 */
export function redemptionsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/pass/encaisser', '/pass/encaissements', '/pass/encaissements/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }
  const limits = (c: C) => ({ limits: c.get('config').limits });

  const form = async (
    c: C,
    auth: Auth,
    values: RedeemValues,
    errors: FieldErrors,
    status: ContentfulStatusCode,
    voucher?: Parameters<typeof RedeemPage>[0]['voucher'],
  ) => {
    const places = await myRedemptionPlaces(c.get('db'), auth.actor);
    return renderPage(
      c,
      <RedeemPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        places={places}
        values={values}
        errors={errors}
        voucher={voucher}
      />,
      status,
    );
  };

  app.get('/pass/encaisser', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const places = await myRedemptionPlaces(c.get('db'), auth.actor);
    const asked = one(c.req.query('lieu')).slice(0, 100);
    const place =
      places.length === 1
        ? (places[0]?.place_id ?? '')
        : places.some((p) => p.place_id === asked)
          ? asked
          : '';
    const values: RedeemValues = {
      place,
      code: one(c.req.query('code')).slice(0, 40),
      needs: [],
      servedOn: localToday(new Date()),
      key: newKey(),
    };
    // A code from a QR code: say what the voucher is before the staff redeem it (once a place is known).
    if (values.code === '' || place === '') return form(c, auth, values, {}, 200);
    const found = await describeVoucher(
      c.get('db'),
      auth.actor,
      { placeId: place, code: values.code },
      limits(c),
    );
    if (found.ok) return form(c, auth, values, {}, 200, found.voucher);
    return form(c, auth, values, found.errors, statusOf(found.refusal));
  });

  app.post('/pass/encaisser', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const values: RedeemValues = {
      place: one(body.place).slice(0, 100),
      code: one(body.code).slice(0, 40),
      needs: many(body.needs).map((n) => n.slice(0, 60)),
      servedOn: one(body.servedOn).slice(0, 40),
      key: one(body.key).slice(0, 100),
    };
    if (values.place === '')
      return form(c, auth, values, { place: MESSAGES.placeRequiredForRedemption }, 422);
    // "Vérifier le code": what the voucher is, nothing written, all that was typed kept for the redemption.
    if (one(body.action) === 'verifier') {
      const checked = { ...values, key: /^[A-Za-z0-9_-]{8,100}$/.test(values.key) ? values.key : newKey() };
      const found = await describeVoucher(
        c.get('db'),
        auth.actor,
        { placeId: values.place, code: values.code },
        limits(c),
      );
      if (found.ok) return form(c, auth, checked, {}, 200, found.voucher);
      return form(c, auth, checked, found.errors, statusOf(found.refusal));
    }
    const result = await redeemVoucher(
      c.get('db'),
      auth.actor,
      {
        placeId: values.place,
        code: values.code,
        needs: values.needs,
        servedOn: values.servedOn,
        idempotencyKey: values.key,
      },
      limits(c),
    );
    if (result.ok) return renderPage(c, <RedeemedPage ctx={c.get('page')} redemption={result.redemption} />);
    // A key the server never drew (a form from elsewhere) is replaced, so that the retry can succeed.
    const kept =
      /^[A-Za-z0-9_-]{8,100}$/.test(values.key) && result.refusal !== 'form' ? values.key : newKey();
    return form(c, auth, { ...values, key: kept }, result.errors, statusOf(result.refusal));
  });

  const list = async (
    c: C,
    failed?: { id: string; reason: string; message: string },
    status: ContentfulStatusCode = 200,
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const page = Number(one(c.req.query('page'))) || 1;
    const redemptions = await listRedemptions(c.get('db'), auth.actor, { page });
    return renderPage(
      c,
      <RedemptionsPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        redemptions={redemptions}
        coordinator={isCoordinator(auth)}
        notice={ownEntry(REDEMPTION_NOTICES, c.req.query('fait'))}
        failed={failed}
      />,
      status,
    );
  };

  app.get('/pass/encaissements', (c) => list(c));

  app.post('/pass/encaissements/:id/annuler', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const reason = one(body.reason).slice(0, 1000);
    const id = c.req.param('id').slice(0, 40);
    const result = await cancelRedemption(c.get('db'), auth.actor, { redemptionId: id, reason });
    if (result.ok) return c.redirect('/pass/encaissements?fait=annule', 303);
    const message = Object.values(result.errors)[0] ?? MESSAGES.unknownRedemption;
    return list(c, { id, reason, message }, 422);
  });

  return app;
}
