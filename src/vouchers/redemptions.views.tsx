import { formatDay } from '../places/place-dates.ts';
import { NEED_GROUPS, NEEDS, type Need } from '../search/needs.ts';
import { Csrf, ErrorSummary, FieldError, Notice, summaryItems } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { dateTimeOf } from './booklets.views.tsx';
import type { Redemption, VoucherDescription } from './redemptions.service.ts';
import { formatVoucherCode } from './voucher-code.ts';
import type { QualifiedPlaceRow } from './vouchers.repository.ts';
import { euros, type FieldErrors, OWN_CANCELLATION_HOURS } from './vouchers.ts';

/**
 * A qualified place's pages of the pass numérique: redeeming a voucher (typed, or opened from its QR
 * code), the answer, and the list of redemptions with their cancellation. Typing always works without
 * JavaScript; the code field is plain text that a browser must not correct nor remember.
 */

export interface RedeemValues {
  place: string;
  code: string;
  needs: string[];
  servedOn: string;
  key: string;
}

export const REDEMPTION_NOTICES: Record<string, string> = {
  annule: "L'encaissement est annulé. Le chèque peut de nouveau être encaissé.",
};

const needLabel = (slug: string) => NEEDS.find((n) => n.slug === slug)?.label ?? slug;

/** "Chèque de 10,00 € du programme « … », valable jusqu'au 31 janvier 2027." */
export const voucherWords = (v: VoucherDescription) =>
  `Chèque de ${euros(v.faceValueCents)} du programme « ${v.programmeName} », valable jusqu'au ${formatDay(v.lastRecordingDay)}.`;

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

function PlaceField(props: { places: QualifiedPlaceRow[]; value: string; error: string | undefined }) {
  const only = props.places.length === 1 ? props.places[0] : undefined;
  if (only)
    return (
      <p>
        <input type="hidden" name="place" value={only.place_id} />
        Lieu : <strong>{only.place_name}</strong> ({only.commune})
      </p>
    );
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for="place">Lieu où l'aide est donnée</label>
      <FieldError id="place" message={props.error} />
      <select
        id="place"
        name="place"
        required
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.error && 'place-erreur')}
      >
        <option value="" selected={props.value === ''}>
          Choisissez le lieu
        </option>
        {props.places.map((p) => (
          <option value={p.place_id} selected={props.value === p.place_id}>
            {p.place_name} ({p.commune})
          </option>
        ))}
      </select>
    </div>
  );
}

function NeedsField(props: { values: string[]; error: string | undefined }) {
  const groups = Object.entries(NEED_GROUPS) as [Need['group'], string][];
  const first = NEEDS[0]?.slug ?? '';
  return (
    <fieldset class={props.error ? 'has-error' : undefined} id="needs">
      <legend>Ce que le chèque a payé : l'aide donnée (au moins une)</legend>
      <FieldError id="needs" message={props.error} />
      {groups.map(([group, title]) => {
        const needs = NEEDS.filter((n) => n.group === group);
        if (needs.length === 0) return null;
        return (
          <fieldset class="need-choices">
            <legend>{title}</legend>
            <div class="choices">
              {needs.map((n) => (
                <div class="choice">
                  <input
                    type="checkbox"
                    id={`besoin-${n.slug}`}
                    name="needs"
                    value={n.slug}
                    checked={props.values.includes(n.slug)}
                    aria-describedby={props.error && n.slug === first ? 'needs-erreur' : undefined}
                  />
                  <label for={`besoin-${n.slug}`}>{n.label}</label>
                </div>
              ))}
            </div>
          </fieldset>
        );
      })}
    </fieldset>
  );
}

export function RedeemPage(props: {
  ctx: PageContext;
  csrf: string;
  places: QualifiedPlaceRow[];
  values: RedeemValues;
  errors: FieldErrors;
  /** What the code is, when it was checked ("Vérifier le code", or a QR code's address) and is good. */
  voucher?: VoucherDescription | undefined;
}) {
  const { values: v, errors: e } = props;
  const failed = Object.keys(e).length > 0;
  const title = 'Encaisser un chèque pass numérique';
  return (
    <Layout title={failed ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary
        items={summaryItems(e, { needs: `besoin-${NEEDS[0]?.slug ?? ''}`, servedOn: 'servedOn' })}
        autofocus
      />
      {props.places.length === 0 ? (
        <p>
          Aucun lieu de votre structure n'accepte les chèques pass numérique. La coordination du réseau
          qualifie les lieux pour chaque programme.
        </p>
      ) : (
        <form method="post" action="/pass/encaisser" novalidate class="redeem-form">
          <Csrf token={props.csrf} />
          <input type="hidden" name="key" value={v.key} />
          <PlaceField places={props.places} value={v.place} error={e.place} />
          <div class={e.code ? 'field has-error' : 'field'}>
            <label for="code">Code du chèque</label>
            <p class="hint" id="code-aide">
              14 caractères, les tirets sont facultatifs.
            </p>
            <FieldError id="code" message={e.code} />
            <input
              type="text"
              id="code"
              name="code"
              class="code-input"
              value={v.code}
              maxlength={40}
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              inputmode="text"
              required
              aria-invalid={e.code ? 'true' : undefined}
              aria-describedby={describedBy('code-aide', e.code && 'code-erreur')}
            />
          </div>
          {/* The first button of the form, the one Enter in the code field presses: check before redeeming. */}
          <p>
            <button type="submit" name="action" value="verifier" class="button secondary">
              Vérifier le code
            </button>
          </p>
          {props.voucher && !failed ? (
            // Given the focus, so that it is read out and the next Tab reaches the help given.
            <div class="notice voucher-described" role="status" tabindex={-1} autofocus id="cheque">
              <p>{voucherWords(props.voucher)}</p>
              <p class="hint">Cochez l'aide donnée, puis encaissez le chèque.</p>
            </div>
          ) : null}
          <NeedsField values={v.needs} error={e.needs} />
          <div class={e.servedOn ? 'field has-error' : 'field'}>
            <label for="servedOn">Date de l'aide</label>
            <FieldError id="servedOn" message={e.servedOn} />
            <input
              type="date"
              id="servedOn"
              name="servedOn"
              value={v.servedOn}
              required
              aria-invalid={e.servedOn ? 'true' : undefined}
              aria-describedby={describedBy(e.servedOn && 'servedOn-erreur')}
            />
          </div>
          <p>
            <button type="submit">Encaisser le chèque</button>
          </p>
        </form>
      )}
      <p>
        <a href="/pass/encaissements">Voir les encaissements</a>
      </p>
    </Layout>
  );
}

export function RedeemedPage(props: { ctx: PageContext; redemption: Redemption }) {
  const r = props.redemption;
  return (
    <Layout title="Chèque encaissé" ctx={props.ctx}>
      <h1>Chèque encaissé</h1>
      <p class="notice" role="status">
        Le chèque de <strong>{euros(r.amountCents)}</strong> est encaissé pour « {r.placeName} », le{' '}
        {dateTimeOf(r.at)}.
      </p>
      <dl class="facts">
        <dt>Montant</dt>
        <dd>{euros(r.amountCents)}</dd>
        <dt>Lieu</dt>
        <dd>{r.placeName}</dd>
        <dt>Enregistré le</dt>
        <dd>{dateTimeOf(r.at)}</dd>
        <dt>Date de l'aide</dt>
        <dd>{formatDay(r.servedOn)}</dd>
        <dt>Programme</dt>
        <dd>{r.programmeName}</dd>
        <dt>Code</dt>
        <dd class="voucher-code">{formatVoucherCode(r.code)}</dd>
        <dt>Aide donnée</dt>
        <dd>{r.needs.map(needLabel).join(', ')}</dd>
      </dl>
      <p>
        <a class="button" href={`/activites/nouveau?encaissement=${r.id}&structure=${r.structureId}`}>
          Enregistrer l'accompagnement
        </a>
      </p>
      <p>
        En cas d'erreur, vous pouvez annuler cet encaissement pendant 24 heures depuis la liste des
        encaissements.
      </p>
      <p>
        <a class="button" href={`/pass/encaisser?lieu=${r.placeId}`}>
          Encaisser un autre chèque
        </a>
      </p>
      <p>
        <a href="/pass/encaissements">Voir les encaissements</a>
      </p>
    </Layout>
  );
}

function CancelRedemptionForm(props: {
  r: Redemption;
  csrf: string;
  coordinator: boolean;
  failed: { id: string; reason: string; message: string } | undefined;
}) {
  const { r } = props;
  const id = `raison-${r.id}`;
  const error = props.failed?.id === String(r.id) ? props.failed.message : undefined;
  const reasonRequired = !r.cancellableByPlace;
  return (
    <form method="post" action={`/pass/encaissements/${r.id}/annuler`} novalidate>
      <Csrf token={props.csrf} />
      {r.cancellableByPlace && !props.coordinator ? (
        <p class="hint">
          Une erreur ? Vous pouvez annuler cet encaissement jusqu'au{' '}
          {dateTimeOf(new Date(r.at.getTime() + OWN_CANCELLATION_HOURS * 3_600_000))}.
        </p>
      ) : null}
      <div class={error ? 'field has-error' : 'field'}>
        <label for={id}>
          Raison de l'annulation{reasonRequired || props.coordinator ? '' : ' (facultatif)'}
        </label>
        <FieldError id={id} message={error} />
        <input
          type="text"
          id={id}
          name="reason"
          maxlength={300}
          value={props.failed?.id === String(r.id) ? props.failed.reason : ''}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-erreur` : undefined}
        />
      </div>
      <p>
        <button type="submit" class="button secondary">
          Annuler l'encaissement du chèque {formatVoucherCode(r.code)}
        </button>
      </p>
    </form>
  );
}

export function RedemptionsPage(props: {
  ctx: PageContext;
  csrf: string;
  redemptions: Redemption[];
  coordinator: boolean;
  notice?: string | undefined;
  failed?: { id: string; reason: string; message: string } | undefined;
}) {
  const title = props.coordinator ? 'Encaissements du réseau' : 'Encaissements de vos lieux';
  const failed = props.failed;
  return (
    <Layout title={failed ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <h1>{title}</h1>
      <ErrorSummary
        items={failed ? [{ href: `#raison-${failed.id}`, message: failed.message }] : []}
        autofocus
      />
      <Notice text={props.notice} />
      {props.coordinator ? null : (
        <p>
          <a href="/pass/encaisser">Encaisser un chèque</a>
        </p>
      )}
      {props.redemptions.length === 0 ? (
        <p>Aucun chèque n'a encore été encaissé.</p>
      ) : (
        <ul class="redemptions">
          {props.redemptions.map((r) => (
            <li class="card" id={`encaissement-${r.id}`}>
              <h2>
                {euros(r.amountCents)} — {r.placeName}
              </h2>
              <p>
                Encaissé le {dateTimeOf(r.at)}, pour une aide du {formatDay(r.servedOn)} · {r.programmeName} ·
                code <span class="voucher-code">{formatVoucherCode(r.code)}</span>
              </p>
              <p>Aide donnée : {r.needs.map(needLabel).join(', ')}</p>
              {r.cancelledAt || props.coordinator ? null : (
                <p>
                  <a href={`/activites/nouveau?encaissement=${r.id}&structure=${r.structureId}`}>
                    Enregistrer l'accompagnement du chèque {formatVoucherCode(r.code)}
                  </a>
                </p>
              )}
              {r.cancelledAt ? (
                <p>
                  <strong>Annulé le {dateTimeOf(r.cancelledAt)}</strong>
                  {r.cancelReason ? <> : {r.cancelReason}</> : null}
                </p>
              ) : r.cancellableByPlace || props.coordinator ? (
                <CancelRedemptionForm
                  r={r}
                  csrf={props.csrf}
                  coordinator={props.coordinator}
                  failed={failed}
                />
              ) : (
                <p class="hint">
                  Plus de 24 heures ont passé : seule la coordination du réseau peut annuler cet encaissement.
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
