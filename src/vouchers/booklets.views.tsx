import { raw } from 'hono/html';
import { describeWeek, groupWeek } from '../places/hours.ts';
import { formatDay, localToday } from '../places/place-dates.ts';
import { keepUnits } from '../shared/format.ts';
import { formatPhone, phoneHref } from '../shared/phone.ts';
import { Csrf, ErrorSummary, FieldError, Notice, summaryItems } from '../web/forms.tsx';
import { Layout, NetworkContactLine, type PageContext } from '../web/layout.tsx';
import { qrSvg } from '../web/qr.ts';
import type { BookletView, PrintableBooklet } from './booklets.service.ts';
import type { DistributionLetter } from './letter.service.ts';
import { formatVoucherCode } from './voucher-code.ts';
import type { Booklet } from './vouchers.service.ts';
import { AGE_BAND_LABELS, AGE_BANDS, euros, type FieldErrors } from './vouchers.ts';

/**
 * The prescribers' pages of the pass numérique: their booklets, one booklet with the hand-over and
 * cancellation forms, its printable pages of vouchers, and the letter for the person who receives it.
 */

export const BOOKLET_NOTICES: Record<string, string> = {
  remis:
    'La remise est enregistrée. Imprimez maintenant la lettre et donnez-la à la personne avec le carnet.',
  annule: 'Le carnet est annulé : ses chèques ne pourront plus être encaissés.',
};

const DAY_MONTH_YEAR = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});
const CLOCK = new Intl.DateTimeFormat('fr-FR', {
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/Paris',
});

/** "6 décembre 2026", in France's time. */
export const dayOf = (at: Date) => DAY_MONTH_YEAR.format(at);
/** "6 décembre 2026 à 14 h 05", in France's time (the house style for times). */
export function dateTimeOf(at: Date): string {
  const [h = '0', m = '00'] = CLOCK.format(at).split(':');
  return `${DAY_MONTH_YEAR.format(at)} à ${Number(h)} h${m === '00' ? '' : ` ${m}`}`;
}

/** Where a booklet stands, in words. */
export function bookletStage(b: Booklet): string {
  if (b.cancelledAt) return `Annulé le ${dayOf(b.cancelledAt)}`;
  if (b.distributedAt) {
    const used =
      b.redeemed > 0
        ? ` (${b.redeemed} chèque${b.redeemed > 1 ? 's' : ''} encaissé${b.redeemed > 1 ? 's' : ''} sur ${b.vouchers})`
        : '';
    return `Remis à une personne le ${dayOf(b.distributedAt)}${used}`;
  }
  if (b.allocatedTo)
    return b.paid ? 'À remettre à une personne' : 'À remettre (paiement du financeur attendu)';
  return 'En stock';
}

export function MyBookletsPage(props: {
  ctx: PageContext;
  booklets: (Booklet & { programmeName: string })[];
}) {
  const toHand = props.booklets.filter((b) => !b.distributedAt && !b.cancelledAt).length;
  return (
    <Layout title="Mes carnets de pass numérique" ctx={props.ctx}>
      <h1>Mes carnets de pass numérique</h1>
      {props.booklets.length === 0 ? (
        <p>
          Aucun carnet n'est confié à votre structure. La coordination du réseau confie les carnets aux
          structures prescriptrices d'un programme.
        </p>
      ) : (
        <>
          <p>
            {toHand} carnet{toHand > 1 ? 's' : ''} à remettre sur {props.booklets.length}. Ouvrez un carnet
            pour enregistrer sa remise à une personne, l'imprimer ou l'annuler s'il est perdu.
          </p>
          <div class="table-scroll">
            <table>
              <caption class="visually-hidden">Carnets confiés à votre structure</caption>
              <thead>
                <tr>
                  <th scope="col">Carnet</th>
                  <th scope="col">Programme</th>
                  <th scope="col">Étape</th>
                </tr>
              </thead>
              <tbody>
                {props.booklets.map((b) => (
                  <tr>
                    <td>
                      <a href={`/pass/carnets/${b.id}`}>Carnet n° {b.number}</a>
                    </td>
                    <td>{b.programmeName}</td>
                    <td>{bookletStage(b)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p>
        <a href="/espace">Retour à mon espace</a>
      </p>
    </Layout>
  );
}

export interface HandOverValues {
  declared: boolean;
  ageBand: string;
  commune: string;
}
export const EMPTY_HAND_OVER: HandOverValues = { declared: false, ageBand: '', commune: '' };

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

function HandOverForm(props: {
  view: BookletView;
  csrf: string;
  values: HandOverValues;
  errors: FieldErrors;
}) {
  const { view, values: v, errors: e } = props;
  const p = view.programme;
  return (
    <form method="post" action={`/pass/carnets/${view.booklet.id}/remise`} novalidate>
      <Csrf token={props.csrf} />
      <h2>Remettre ce carnet à une personne</h2>
      <p>
        Vous n'écrivez jamais le nom de la personne. Vous déclarez seulement qu'elle habite dans le périmètre
        du programme.
      </p>
      <FieldError id="booklet" message={e.booklet} />
      <div class={e.declared ? 'field has-error' : 'field'}>
        <FieldError id="declared" message={e.declared} />
        <div class="choice">
          <input
            type="checkbox"
            id="declared"
            name="declared"
            value="oui"
            checked={v.declared}
            required
            aria-invalid={e.declared ? 'true' : undefined}
            aria-describedby={describedBy(e.declared && 'declared-erreur')}
          />
          <label for="declared">
            La personne habite dans le périmètre du programme (périmètre : {p.perimeterLabel})
          </label>
        </div>
      </div>
      <div class={e.ageBand ? 'field has-error' : 'field'}>
        <label for="ageBand">Tranche d'âge (facultatif)</label>
        <FieldError id="ageBand" message={e.ageBand} />
        <select
          id="ageBand"
          name="ageBand"
          aria-invalid={e.ageBand ? 'true' : undefined}
          aria-describedby={describedBy(e.ageBand && 'ageBand-erreur')}
        >
          <option value="" selected={v.ageBand === ''}>
            Ne pas indiquer
          </option>
          {AGE_BANDS.map((band) => (
            <option value={band} selected={v.ageBand === band}>
              {AGE_BAND_LABELS[band]}
            </option>
          ))}
        </select>
      </div>
      <div class={e.commune ? 'field has-error' : 'field'}>
        <label for="commune">Commune où habite la personne (facultatif)</label>
        <p class="hint" id="commune-aide">
          Son nom ou son code postal, par exemple Saran ou 45770. La lettre donnée à la personne liste alors
          les lieux les plus proches de chez elle.
        </p>
        <FieldError id="commune" message={e.commune} />
        <input
          type="text"
          id="commune"
          name="commune"
          maxlength={100}
          autocomplete="off"
          value={v.commune}
          aria-invalid={e.commune ? 'true' : undefined}
          aria-describedby={describedBy('commune-aide', e.commune && 'commune-erreur')}
        />
      </div>
      <p>
        <button type="submit">Enregistrer la remise</button>
      </p>
    </form>
  );
}

function CancelForm(props: { view: BookletView; csrf: string; reason: string; error: string | undefined }) {
  return (
    <form method="post" action={`/pass/carnets/${props.view.booklet.id}/annuler`} novalidate>
      <Csrf token={props.csrf} />
      <h2>Annuler ce carnet</h2>
      <p>
        Si le carnet est perdu ou volé, annulez-le : ses chèques qui ne sont pas encore encaissés ne pourront
        plus l'être. Cette action est définitive.
      </p>
      <div class={props.error ? 'field has-error' : 'field'}>
        <label for="reason">Raison de l'annulation</label>
        <FieldError id="reason" message={props.error} />
        <input
          type="text"
          id="reason"
          name="reason"
          maxlength={300}
          required
          value={props.reason}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? 'reason-erreur' : undefined}
        />
      </div>
      <p>
        <button type="submit" class="button secondary">
          Annuler le carnet
        </button>
      </p>
    </form>
  );
}

export function BookletPage(props: {
  ctx: PageContext;
  csrf: string;
  view: BookletView;
  values?: HandOverValues;
  reason?: string;
  errors?: FieldErrors;
  notice?: string | undefined;
}) {
  const { view } = props;
  const b = view.booklet;
  const p = view.programme;
  const errors = props.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  const title = `Carnet n° ${b.number}`;
  return (
    <Layout title={failed ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <p>
        <a href="/pass/carnets">Mes carnets</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary
        items={summaryItems(errors, { booklet: 'booklet-erreur', declared: 'declared' })}
        autofocus
      />
      <Notice text={props.notice} />
      <p>
        <strong>{bookletStage(b)}</strong>
      </p>
      <dl class="facts">
        <dt>Programme</dt>
        <dd>{p.name}</dd>
        <dt>Financeur</dt>
        <dd>{p.funderName}</dd>
        <dt>Chèques</dt>
        <dd>
          {b.vouchers} chèques de {euros(p.faceValueCents)}, soit {euros(b.vouchers * p.faceValueCents)}
        </dd>
        <dt>Valable</dt>
        <dd>pour une aide donnée jusqu'au {formatDay(p.validUntil)}</dd>
        <dt>Périmètre</dt>
        <dd>{p.perimeterLabel}</dd>
        {b.distribution?.commune ? (
          <>
            <dt>Commune de la personne</dt>
            <dd>{b.distribution.commune}</dd>
          </>
        ) : null}
        {b.cancelReason ? (
          <>
            <dt>Raison de l'annulation</dt>
            <dd>{b.cancelReason}</dd>
          </>
        ) : null}
      </dl>
      <div class="booklet-links">
        {b.distributedAt && !b.cancelledAt ? (
          <p>
            <a href={`/pass/carnets/${b.id}/lettre`}>
              <strong>Imprimer la lettre pour la personne</strong>
            </a>
          </p>
        ) : null}
        {view.may.print && !b.cancelledAt ? (
          <p>
            <a href={`/pass/carnets/${b.id}/imprimer`}>Imprimer les chèques du carnet</a>
          </p>
        ) : null}
      </div>
      {view.distributionClosed && !b.distributedAt && !b.cancelledAt ? (
        <p class="notice" role="status">
          {view.distributionClosed}
        </p>
      ) : null}
      {view.may.distribute ? (
        <HandOverForm
          view={view}
          csrf={props.csrf}
          values={props.values ?? EMPTY_HAND_OVER}
          errors={errors}
        />
      ) : null}
      {view.may.cancel ? (
        <CancelForm view={view} csrf={props.csrf} reason={props.reason ?? ''} error={errors.reason} />
      ) : null}
    </Layout>
  );
}

/** The address a voucher's QR code opens: the redemption page with the code filled in. */
export const redeemUrl = (publicUrl: string, code: string) => `${publicUrl}/pass/encaisser?code=${code}`;

/** One booklet's vouchers to print: ten to an A4 page, each with its code in words and as a QR code. */
export function PrintBookletPage(props: {
  ctx: PageContext;
  printable: PrintableBooklet;
  publicUrl: string;
  /** Where the page leads back to: the prescriber's booklets, or the programme (the coordinators). */
  back?: { href: string; label: string };
}) {
  const p = props.printable.programme;
  return (
    <Layout title={`Chèques à imprimer — ${p.name}`} ctx={props.ctx}>
      <div class="no-print">
        <h1>Chèques à imprimer</h1>
        <p>
          Imprimez cette page avec la commande Imprimer de votre navigateur (Ctrl + P), puis découpez les
          chèques. Le code de chaque chèque est secret : ne le montrez qu'à la personne qui reçoit le carnet.
        </p>
        <p>
          <button type="button" class="button" data-print="" hidden>
            Imprimer les chèques
          </button>
        </p>
      </div>
      {props.printable.booklets.map((b) => (
        <section class="voucher-sheet" aria-label={`Carnet n° ${b.number}`}>
          <h2 class="no-print">Carnet n° {b.number}</h2>
          <ul class="vouchers">
            {b.vouchers.map((v) => {
              const code = formatVoucherCode(v.code);
              let qr: string | null = null;
              try {
                qr = qrSvg(redeemUrl(props.publicUrl, v.code), `Code QR du chèque ${code}`);
              } catch {
                qr = null; // an address too long for a small code: the code in words is enough
              }
              return (
                <li class="voucher">
                  <div>
                    <p class="voucher-title">
                      <strong>Pass numérique — {euros(p.faceValueCents)}</strong>
                    </p>
                    <p>{p.name}</p>
                    <p>Valable jusqu'au {formatDay(p.validUntil)}</p>
                    <p class="voucher-code">{code}</p>
                    <p class="voucher-number">
                      Carnet n° {b.number}, chèque {v.position}
                    </p>
                  </div>
                  {qr ? raw(qr) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      <p class="no-print">
        <a href={props.back?.href ?? '/pass/carnets'}>{props.back?.label ?? 'Retour à mes carnets'}</a>
      </p>
    </Layout>
  );
}

/** A week's hours in one line of words ("du lundi au vendredi : 9 h – 12 h"), or null when unreadable. */
function hoursInWords(osm: string | null): string | null {
  if (!osm) return null;
  const week = describeWeek(osm);
  if (!week) return null;
  const open = groupWeek(week.days).filter((d) => d.ranges.length > 0);
  if (open.length === 0) return null;
  return keepUnits(open.map((d) => `${d.days} : ${d.ranges.join(' et ')}`).join(' ; '));
}

const kmInWords = (km: number) => (km < 1 ? 'à moins de 1 km' : `à ${Math.round(km)} km`);

/**
 * The letter for the person (Facile à lire et à comprendre, not certified): short sentences, one idea
 * each; one A4 page at 12 pt. It never names the person.
 */
export function LetterPage(props: { ctx: PageContext; letter: DistributionLetter }) {
  const l = props.letter;
  const p = l.programme;
  const where =
    l.nearestTo === 'commune' && l.communeName
      ? `Les lieux les plus proches de ${l.communeName} :`
      : l.nearestTo === 'prescriber'
        ? `Les lieux les plus proches de ${l.prescriberName} :`
        : 'Des lieux où aller :';
  return (
    <Layout title="Votre pass numérique" ctx={props.ctx}>
      <div class="no-print">
        <p>
          <a href="/pass/carnets">Mes carnets</a> — imprimez cette lettre (Ctrl + P) et donnez-la avec le
          carnet.
        </p>
        <p>
          <button type="button" class="button" data-print="" hidden>
            Imprimer la lettre
          </button>
        </p>
      </div>
      <article class="letter">
        <h1>Votre pass numérique</h1>
        <p>
          Vous avez reçu un carnet de <strong>{l.vouchers} chèques</strong>.
        </p>
        <p>
          Chaque chèque vaut <strong>{euros(p.faceValueCents)}</strong>.
        </p>
        <p>Ces chèques paient de l'aide pour utiliser un ordinateur, un téléphone ou internet.</p>
        <p>Ces chèques sont payés par « {p.funderName} ». Vous ne payez rien.</p>
        <h2>Jusqu'à quand ?</h2>
        <p>
          Utilisez vos chèques au plus tard le <strong>{formatDay(p.validUntil)}</strong>.
        </p>
        <h2>Comment faire ?</h2>
        <ol>
          <li>Choisissez un lieu dans la liste.</li>
          <li>Appelez le lieu ou allez-y pendant ses horaires.</li>
          <li>Dites ce que vous voulez apprendre ou faire.</li>
          <li>Donnez un chèque à la personne qui vous aide.</li>
        </ol>
        <p>Un chèque paie une aide. Gardez les autres chèques pour une autre fois.</p>
        <h2>{where}</h2>
        {l.places.length === 0 ? (
          <p>Demandez la liste des lieux à la personne qui vous a donné ce carnet.</p>
        ) : (
          <ul class="letter-places">
            {l.places.map((pl) => {
              const hours = hoursInWords(pl.hours);
              return (
                <li>
                  <strong>{pl.name}</strong>
                  {pl.km !== null ? <> ({keepUnits(kmInWords(pl.km))})</> : null}
                  <br />
                  {pl.address}, {pl.postcode} {pl.commune}
                  {pl.phone ? (
                    <>
                      <br />
                      Téléphone : <a href={phoneHref(pl.phone)}>{formatPhone(pl.phone)}</a>
                    </>
                  ) : null}
                  {hours ? (
                    <>
                      <br />
                      Ouvert {hours}
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
        <h2>Besoin d'aide ?</h2>
        <NetworkContactLine contact={props.ctx.networkContact} falc />
        <p class="letter-meta">
          {p.name} — carnet n° {l.bookletNumber}, remis le {formatDay(localToday(l.distributedAt))}.
        </p>
      </article>
    </Layout>
  );
}
