import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { type DayHours, describeWeek } from '../places/hours.ts';
import type { Place } from '../places/places.service.ts';
import { formatIsoDate } from '../shared/format.ts';
import { formatPhone, phoneHref } from '../shared/phone.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { qrSvg } from '../web/qr.ts';
import type { OpeningStatus } from './opening.ts';
import type { PlaceClosure } from './search.ts';
import { addressOf, ClosureLines, kindOf, OpenLine, stringsOf, whatToBring } from './search.views.tsx';
import type { SearchStrings } from './strings.ts';

/** A place's sheet: everything to go there, printable with a QR code back to the page. */
function WeekHours(props: {
  s: SearchStrings;
  osm: string | null;
  week: { days: DayHours[]; varies: boolean } | null;
}) {
  const { s } = props;
  if (!props.osm) return <p>{s.hoursUnknown}</p>;
  if (!props.week) return <p>{s.hoursUnreadable(props.osm)}</p>;
  return (
    <>
      <table class="hours">
        <caption class="visually-hidden">{s.hoursCaption}</caption>
        <tbody>
          {props.week.days.map((d) => (
            <tr>
              <th scope="row">{d.day}</th>
              <td>{d.ranges.length ? d.ranges.join(' et ') : s.closedDay}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.week.varies ? <p>{s.hoursVary}</p> : null}
    </>
  );
}

function Facts(props: { children: Child }) {
  return <dl class="facts">{props.children}</dl>;
}

export function PlaceSheetPage(props: {
  ctx: PageContext;
  place: Place;
  status: OpeningStatus;
  publicUrl: string;
  /** Temporary closures running or to come. */
  closures?: PlaceClosure[];
  /** The visitor is a signed-in member of a structure: she may orient a person to this place. */
  canRefer?: boolean;
}) {
  const s = stringsOf(props.ctx);
  const p = props.place;
  const week = p.horaires ? describeWeek(p.horaires) : null;
  const kind = kindOf(p);
  const address = addressOf(p);
  const sheetUrl = `${props.publicUrl}/lieux/${p.id}`;
  let qr: string | null = null;
  try {
    qr = qrSvg(sheetUrl, s.qrLabel(sheetUrl));
  } catch {
    qr = null; // an address too long for a small code: the printed sheet shows it in words only
  }
  const located = p.latitude !== null && p.longitude !== null;
  const osm = located
    ? `https://www.openstreetmap.org/?mlat=${p.latitude}&mlon=${p.longitude}#map=17/${p.latitude}/${p.longitude}`
    : null;
  const itinerant = p.itinerance.includes('Itinérant');
  return (
    <Layout title={s.placeTitle(p.nom, p.commune)} ctx={props.ctx}>
      <h1>{p.nom}</h1>
      {kind ? <p class="meta">{kind}</p> : null}
      <OpenLine s={s} status={props.status} itinerant={itinerant} address={address} />
      <ClosureLines s={s} closures={props.closures ?? []} />
      {p.presentationResume ? <p>{p.presentationResume}</p> : null}
      {props.canRefer ? (
        <p class="no-print">
          <a class="button" href={`/orientations/nouvelle?lieu=${encodeURIComponent(p.id)}`}>
            Orienter une personne vers ce lieu
          </a>
        </p>
      ) : null}
      <p class="no-print">
        <button type="button" class="button secondary" data-print="" hidden>
          {s.printSheet}
        </button>
      </p>
      <h2>{s.addressHeading}</h2>
      <Facts>
        <dt>{s.addressLabel}</dt>
        <dd>
          {p.adresse}
          {p.complementAdresse ? <>, {p.complementAdresse}</> : null}
          <br />
          {p.codePostal} {p.commune}
        </dd>
        {p.telephone ? (
          <>
            <dt>{s.phoneLabel.replace(/\s*:$/, '')}</dt>
            <dd>
              <a href={phoneHref(p.telephone)}>{formatPhone(p.telephone)}</a>
            </dd>
          </>
        ) : null}
        {p.courriels.length ? (
          <>
            <dt>{s.emailLabel}</dt>
            <dd>
              {p.courriels.map((m, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`mailto:${m}`}>{m}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        {p.siteWeb.length ? (
          <>
            <dt>{s.websiteLabel}</dt>
            <dd>
              {p.siteWeb.map((u, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={u}>{u.replace(/^https?:\/\//, '').replace(/\/$/, '')}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        {p.priseRdv ? (
          <>
            <dt>{s.appointmentLabel}</dt>
            <dd>
              <a href={p.priseRdv}>{s.appointmentLink}</a>
            </dd>
          </>
        ) : null}
      </Facts>
      <p class="no-print callback-link">
        <a href={`/lieux/${p.id}/rappel`}>Être rappelé</a> : laissez votre numéro, le lieu vous appelle.
      </p>
      <h2>{s.hoursHeading}</h2>
      <WeekHours s={s} osm={p.horaires} week={week} />
      <h2>{s.goHeading}</h2>
      <ul class="no-print">
        {osm ? (
          <li>
            <a href={osm}>{s.mapOsm(p.nom)}</a>
          </li>
        ) : null}
        <li>
          <a href={`sms:?&body=${encodeURIComponent(`${p.nom}, ${address}`)}`} aria-describedby="sms-aide">
            {s.smsLink}
          </a>{' '}
          <span class="hint" id="sms-aide">
            {s.smsHint}
          </span>
        </li>
      </ul>
      {p.modalitesAcces.length ? (
        <p>
          {s.accessLabel} : {p.modalitesAcces.join(', ')}
        </p>
      ) : null}
      <h2>{s.bringHeading}</h2>
      <ul>
        {whatToBring(s, p).map((item) => (
          <li>{item}</li>
        ))}
      </ul>
      {p.services.length ? (
        <>
          <h2>{s.servicesHeading}</h2>
          <ul>
            {p.services.map((x) => (
              <li>{x}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{s.howHeading}</h2>
      <Facts>
        {p.modalitesAccompagnement.length ? (
          <>
            <dt>{s.helpLabel.replace(/\s*:$/, '')}</dt>
            <dd>{p.modalitesAccompagnement.map((m) => s.accompaniment(m)).join(', ')}</dd>
          </>
        ) : null}
        <dt>{s.priceLabel}</dt>
        <dd>{p.fraisACharge.length ? p.fraisACharge.map((f) => s.fee(f)).join(', ') : s.feesUnknown}</dd>
        {p.publicsSpecifiquementAdresses.length ? (
          <>
            <dt>{s.publicsLabel}</dt>
            <dd>{p.publicsSpecifiquementAdresses.join(', ')}</dd>
          </>
        ) : null}
        {p.priseEnChargeSpecifique.length ? (
          <>
            <dt>{s.supportLabel}</dt>
            <dd>{p.priseEnChargeSpecifique.join(', ')}</dd>
          </>
        ) : null}
        {itinerant ? (
          <>
            <dt>{s.itinerantLabel}</dt>
            <dd>{s.itinerantText}</dd>
          </>
        ) : null}
      </Facts>
      {p.presentationDetail ? (
        <>
          <h2>{s.presentationHeading}</h2>
          {p.presentationDetail.split(/\n{2,}/).map((para) => (
            <p>{para}</p>
          ))}
        </>
      ) : null}
      <p class="meta">
        {p.dateMaj ? s.checkedOn(formatIsoDate(p.dateMaj)) : s.checkedUnknown}
        {s.sourceLabel(p.source)}
      </p>
      {qr ? (
        <div class="print-only qr-block">
          {raw(qr)}
          <p>
            {s.qrCaption} {sheetUrl}
          </p>
        </div>
      ) : null}
      <p class="no-print">
        <a href={`/lieux/${p.id}/signaler`}>{s.reportLink(p.nom)}</a>
      </p>
      <p class="no-print">
        <a href={`/lieux/${p.id}/contact-pro`}>Contact pour les professionnels (connexion requise)</a>
      </p>
    </Layout>
  );
}
