import { raw } from 'hono/html';
import { describeWeek, groupWeek } from '../places/hours.ts';
import { whatToBring } from '../search/search.views.tsx';
import { searchStrings } from '../search/strings.ts';
import { keepUnits } from '../shared/format.ts';
import { formatPhone } from '../shared/phone.ts';
import { inSentence } from '../shared/text.ts';
import { NetworkContactLine, type PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS } from '../web/prefs.ts';
import { qrSvg } from '../web/qr.ts';
import type { Inbox, OrientationView, ReferralSheet } from './inbox.service.ts';
import {
  CONTACT_LABELS,
  describeAppointment,
  formatDate,
  formatDateTime,
  REFUSAL_LABELS,
  STATE_LABELS,
  STATES,
  TO_DO_STATES,
  URGENCY_LABELS,
} from './referrals.ts';
import {
  AnswerForm,
  type AnswerValues,
  answerAnchors,
  CloseForm,
  Details,
  DiagnosticBlock,
  type Errors,
  Page,
} from './referrals.views.tsx';
import { SheetMap } from './sheet-map.views.tsx';

/** A structure's inbox, one orientation with its history and actions, and the printed sheet. */

const BOX_LABELS = { received: 'Reçues', sent: 'Envoyées' } as const;

export function InboxPage(props: { ctx: PageContext; inbox: Inbox }) {
  const { inbox } = props;
  const base = (over: Record<string, string | null>) => {
    const q = new URLSearchParams();
    const params: Record<string, string | null> = {
      structure: inbox.structures.length > 1 ? inbox.structure.id : null,
      boite: inbox.box === 'sent' ? 'envoyees' : null,
      etat:
        inbox.state === 'to_do'
          ? null
          : inbox.state === null && inbox.box === 'received'
            ? 'toutes'
            : inbox.state,
      ...over,
    };
    for (const [k, val] of Object.entries(params)) if (val) q.set(k, val);
    const s = q.toString();
    return `/orientations${s ? `?${s}` : ''}`;
  };
  const total = Object.values(inbox.counts).reduce((a, n) => a + (n ?? 0), 0);
  const toDo = TO_DO_STATES.reduce((a, st) => a + (inbox.counts[st] ?? 0), 0);
  return (
    <Page
      ctx={props.ctx}
      title={`Orientations ${BOX_LABELS[inbox.box].toLowerCase()} — ${inbox.structure.name}`}
    >
      <p>
        <a class="button" href="/orientations/nouvelle">
          Orienter une personne
        </a>
      </p>
      {inbox.structures.length > 1 ? (
        <nav aria-label="Vos structures">
          <ul class="actions">
            {inbox.structures.map((s) => (
              <li>
                <a
                  href={base({ structure: s.id, etat: null })}
                  aria-current={s.id === inbox.structure.id ? 'page' : undefined}
                >
                  {s.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <nav aria-label="Reçues ou envoyées">
        <ul class="actions">
          <li>
            <a
              href={base({ boite: null, etat: null })}
              aria-current={inbox.box === 'received' ? 'page' : undefined}
            >
              Orientations reçues
            </a>
          </li>
          <li>
            <a
              href={base({ boite: 'envoyees', etat: null })}
              aria-current={inbox.box === 'sent' ? 'page' : undefined}
            >
              Orientations envoyées
            </a>
          </li>
        </ul>
      </nav>
      <h2>Par situation</h2>
      <ul class="actions">
        {inbox.box === 'received' ? (
          <li>
            <a href={base({ etat: null })} aria-current={inbox.state === 'to_do' ? 'page' : undefined}>
              À traiter ({toDo})
            </a>
          </li>
        ) : null}
        <li>
          <a
            href={base({ etat: inbox.box === 'received' ? 'toutes' : null })}
            aria-current={inbox.state === null ? 'page' : undefined}
          >
            Toutes ({total})
          </a>
        </li>
        {STATES.map((s) => (
          <li>
            <a href={base({ etat: s })} aria-current={inbox.state === s ? 'page' : undefined}>
              {STATE_LABELS[s]} ({inbox.counts[s] ?? 0})
            </a>
          </li>
        ))}
      </ul>
      <h2>
        {inbox.state === 'to_do'
          ? 'À traiter : à accepter ou refuser, puis à clôturer'
          : inbox.state
            ? STATE_LABELS[inbox.state]
            : 'Toutes les orientations'}
      </h2>
      {inbox.entries.length === 0 ? (
        <p>Aucune orientation ici.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Orientations, les plus récentes d’abord</caption>
            <thead>
              <tr>
                <th scope="col">Envoyée le</th>
                <th scope="col">{inbox.box === 'received' ? 'Envoyée par' : 'Vers'}</th>
                <th scope="col">Besoins</th>
                <th scope="col">Urgence</th>
                <th scope="col">Situation</th>
              </tr>
            </thead>
            <tbody>
              {inbox.entries.map((e) => (
                <tr>
                  <td>
                    <a href={`/orientations/${e.id}`}>
                      {formatDate(e.sentAt)}
                      <span class="visually-hidden">
                        {' '}
                        : orientation{' '}
                        {inbox.box === 'received' ? `de ${e.senderStructureName}` : `vers ${e.placeName}`}
                      </span>
                    </a>
                  </td>
                  <td>{inbox.box === 'received' ? e.senderStructureName : e.placeName}</td>
                  <td>{e.needs.join(', ')}</td>
                  <td>{URGENCY_LABELS[e.urgency]}</td>
                  <td>{STATE_LABELS[e.state]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

export function OrientationPage(props: {
  ctx: PageContext;
  csrf: string;
  view: OrientationView;
  notice?: string | null;
  errors?: Errors;
  values?: AnswerValues;
}) {
  const { orientation: o, events, involvement } = props.view;
  const errors = props.errors ?? {};
  return (
    <Page
      ctx={props.ctx}
      title={`Orientation vers ${o.place.name}`}
      errors={errors}
      anchors={answerAnchors(props.values)}
    >
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <ul class="actions">
        <li>
          <a href={`/orientations/${o.id}/fiche`}>Imprimer la fiche de liaison</a>
        </li>
        <li>
          <a href={`/orientations/parcours/${o.parcoursId}`}>
            Voir le parcours de la personne ({props.view.parcoursLength} orientation
            {props.view.parcoursLength > 1 ? 's' : ''})
          </a>
        </li>
        <li>
          <a href="/orientations">Retour aux orientations</a>
        </li>
      </ul>
      {o.delivery === 'sheet' ? (
        <p class="notice">
          Ce lieu ne reçoit pas les orientations : la personne y va avec la fiche. La structure qui oriente
          note la suite ici.
        </p>
      ) : null}
      <h2>L’orientation</h2>
      <Details o={o} showPerson />
      <DiagnosticBlock o={o} />
      {involvement.actsAsReceiver && o.state === 'sent' ? (
        <AnswerForm
          action={`/orientations/${o.id}/reponse`}
          csrf={props.csrf}
          errors={errors}
          {...(props.values ? { values: props.values } : {})}
        />
      ) : null}
      {involvement.receiver && o.state === 'came' ? (
        <p>
          <a
            class="button"
            href={`/activites/nouveau?orientation=${o.id}${o.receiverStructureId ? `&structure=${o.receiverStructureId}` : ''}`}
          >
            Enregistrer l’accompagnement
          </a>
        </p>
      ) : null}
      {involvement.actsAsReceiver && o.state === 'accepted' ? (
        <CloseForm
          action={`/orientations/${o.id}/cloture`}
          csrf={props.csrf}
          withRedirect
          error={errors.outcome}
        />
      ) : null}
      <h2>Historique</h2>
      <ol>
        {events.map((e) => (
          <li>
            {formatDateTime(e.at)} : {STATE_LABELS[e.to]}
            {e.reason && e.to === 'refused'
              ? ` (${REFUSAL_LABELS[e.reason as keyof typeof REFUSAL_LABELS] ?? e.reason})`
              : ''}{' '}
            — {e.actorLabel}
          </li>
        ))}
      </ol>
      <h2>Consentement</h2>
      <p>
        Recueilli le {formatDateTime(o.consent.at)} (texte version {o.consent.version}) :
      </p>
      <blockquote>{o.consent.text}</blockquote>
    </Page>
  );
}

export function SheetPage(props: { ctx: PageContext; sheet: ReferralSheet; publicUrl: string }) {
  const { orientation: o, place, status, origin } = props.sheet;
  const s = searchStrings((props.ctx.prefs ?? DEFAULT_PREFS).falc);
  const week = place?.horaires ? describeWeek(place.horaires) : null;
  // The place's public sheet, up to date, for the person's phone: the paper's hours may change.
  const placeUrl = place ? `${props.publicUrl}/lieux/${place.id}` : null;
  let qr: string | null = null;
  try {
    qr = placeUrl ? qrSvg(placeUrl, s.qrLabel(placeUrl)) : null;
  } catch {
    qr = null; // an address too long for a small code: the sheet gives it in words
  }
  return (
    <Page ctx={props.ctx} title={`Fiche de liaison : ${o.place.name}`}>
      <p class="no-print">
        <button type="button" class="button" data-print="" hidden>
          Imprimer la fiche
        </button>{' '}
        <a href={`/orientations/${o.id}`}>Retour à l’orientation</a>
      </p>
      <p class="liaison-lead">
        {o.person.name && !o.erasedAt ? `${o.person.name}, vous` : 'Vous'} êtes attendu·e à{' '}
        <strong>{o.place.name}</strong> pour : {o.needs.map((n) => inSentence(n.label)).join(', ')}.
      </p>
      {o.delivery === 'sheet' ? (
        <p>Le lieu n’est pas prévenu : montrez-lui cette fiche en arrivant.</p>
      ) : null}
      {o.appointment ? (
        <>
          <h2>Votre rendez-vous</h2>
          <p>
            <strong>{describeAppointment(o.appointment)}</strong>.
          </p>
          <p>Venez avec cette fiche. Si vous ne pouvez pas venir, prévenez le lieu.</p>
        </>
      ) : o.contactPreference === 'self' || o.delivery === 'sheet' ? (
        <p>Allez-y quand il est ouvert, avec cette fiche.</p>
      ) : (
        <p>Le lieu va vous contacter ({CONTACT_LABELS[o.contactPreference].toLowerCase()}).</p>
      )}
      {o.stateMessage && o.answeredAt && o.state !== 'refused' && !o.erasedAt ? (
        <>
          <h2>Message du lieu</h2>
          <p class="pre-line">{o.stateMessage}</p>
        </>
      ) : null}
      <h2>Adresse</h2>
      {place ? (
        <p>
          {place.adresse}
          {place.complementAdresse ? `, ${place.complementAdresse}` : ''}
          <br />
          {place.codePostal} {place.commune}
          {place.telephone ? (
            <>
              <br />
              Téléphone : {formatPhone(place.telephone)}
            </>
          ) : null}
        </p>
      ) : (
        <p>Ce lieu n’est plus dans l’annuaire : appelez la personne qui vous oriente.</p>
      )}
      <h2>Horaires</h2>
      {week ? (
        <table>
          <caption class="visually-hidden">Horaires de la semaine</caption>
          <tbody>
            {groupWeek(week.days).map((d) => (
              <tr>
                <th scope="row">{d.days}</th>
                <td>{d.ranges.length ? keepUnits(d.ranges.join(' et ')) : 'Fermé'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Horaires non connus : appelez avant d’y aller.</p>
      )}
      {status?.nextOpening ? <p>Prochaine ouverture : {status.nextOpening}.</p> : null}
      {place && place.latitude !== null && place.longitude !== null ? (
        <>
          <h2>Plan</h2>
          <SheetMap
            place={{ nom: place.nom, commune: place.commune, lat: place.latitude, lon: place.longitude }}
            origin={origin}
            outlines={props.sheet.outlines}
          />
        </>
      ) : null}
      {place ? (
        <>
          <h2>Ce que vous devez apporter</h2>
          <ul>
            {whatToBring(s, place).map((item) => (
              <li>{item}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Qui vous oriente</h2>
      <p>
        {o.sender.name}, {o.sender.structureName}. Pour la joindre : {o.sender.contact}.
      </p>
      <p class="meta">Orientation du {formatDate(o.sentAt)}.</p>
      {qr && placeUrl ? (
        <div class="print-only qr-block">
          {raw(qr)}
          <div>
            <p>
              {s.qrPlaceCaption} {placeUrl}
            </p>
            {/* Beside the code on paper, instead of the site's footer (the same line). */}
            <NetworkContactLine
              contact={props.ctx.networkContact}
              falc={(props.ctx.prefs ?? DEFAULT_PREFS).falc}
            />
          </div>
        </div>
      ) : null}
    </Page>
  );
}
