import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { CommuneOutline } from '../communes/basemap.tsx';
import { type DayHours, describeWeek, groupWeek } from '../places/hours.ts';
import type { Place } from '../places/places.service.ts';
import { formatIsoDate, keepUnits } from '../shared/format.ts';
import { formatPhone, phoneHref } from '../shared/phone.ts';
import { Layout, NetworkContactLine, type PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS } from '../web/prefs.ts';
import { qrSvg } from '../web/qr.ts';
import type { OpeningStatus } from './opening.ts';
import { PlaceMap } from './place-map.views.tsx';
import type { PlaceClosure } from './search.ts';
import { addressOf, ClosureLines, kindOf, OpenLine, stringsOf, whatToBring } from './search.views.tsx';
import type { SearchStrings } from './strings.ts';
import { accessSentences, accompanimentSentences, serviceWords } from './vocabulary.ts';

/** The week's hours, days with the same hours said once ("du lundi au jeudi"). */
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
          {groupWeek(props.week.days).map((d) => (
            <tr>
              <th scope="row">{d.days}</th>
              <td>{d.ranges.length ? keepUnits(d.ranges.join(' et ')) : s.closedDay}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.week.varies ? <p>{s.hoursVary}</p> : null}
    </>
  );
}

/** A route planner's link to a point, from the configured template (config.ts checks it). */
const routePlannerLink = (template: string, lat: number, lon: number) =>
  template.replaceAll('{lat}', String(lat)).replaceAll('{lon}', String(lon));

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
  /** The link to the professionals' contact is offered (false: a signed-in person who may not open it). */
  proContact?: boolean;
  /** A route planner's URL template ({lat}, {lon}; ROUTE_PLANNER_URL): its link is offered when set. */
  routePlanner?: string | null;
  /** The communes around the place (mapOutlines): its map is drawn when there are some. */
  outlines?: readonly CommuneOutline[];
  /** The place's next workshops of the agenda (decision 0041), already in words. */
  workshops?: readonly { href: string; title: string; when: string; seats: string }[];
}) {
  const s = stringsOf(props.ctx);
  const falc = (props.ctx.prefs ?? DEFAULT_PREFS).falc;
  const p = props.place;
  const week = p.horaires ? describeWeek(p.horaires) : null;
  const kind = kindOf(p, s);
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
  // RFC 5870: the phone's own map application opens at the place; nothing goes through a third party.
  const geo = located ? `geo:${p.latitude},${p.longitude}` : null;
  const route =
    located && props.routePlanner
      ? routePlannerLink(props.routePlanner, p.latitude as number, p.longitude as number)
      : null;
  const itinerant = p.itinerance.includes('Itinérant');
  const access = accessSentences(p.modalitesAcces, falc);
  const help = accompanimentSentences(p.modalitesAccompagnement, falc);
  return (
    <Layout title={s.placeTitle(p.nom, p.commune)} ctx={props.ctx}>
      <h1>{p.nom}</h1>
      {kind ? <p class="meta">{kind}</p> : null}
      <OpenLine
        s={s}
        status={props.status}
        itinerant={itinerant}
        address={address}
        closures={props.closures ?? []}
      />
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
      <div class="sheet-body">
        <section class="sheet-part">
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
            <a href={`/lieux/${p.id}/rappel`}>{s.callbackLink}</a>
            {s.callbackLead}
          </p>
        </section>
        <section class="sheet-part">
          <h2>{s.hoursHeading}</h2>
          <WeekHours s={s} osm={p.horaires} week={week} />
        </section>
        {props.workshops?.length ? (
          <section class="sheet-part no-print">
            <h2>Prochains ateliers</h2>
            <ul>
              {props.workshops.map((w) => (
                <li>
                  <a href={w.href}>{w.title}</a> : {w.when} ({w.seats})
                </li>
              ))}
            </ul>
            <p>
              <a href={`/agenda/lieux/${p.id}.ics`}>Les ateliers de ce lieu dans mon calendrier</a>
            </p>
          </section>
        ) : null}
        <section class="sheet-part">
          <h2>{s.goHeading}</h2>
          {access.map((sentence) => (
            <p>{sentence}</p>
          ))}
          {p.ficheAccesLibre ? (
            <p>
              {s.accessibilityLead} <a href={p.ficheAccesLibre}>{s.accesLibreLink(p.nom)}</a>
            </p>
          ) : null}
          {located && props.outlines?.length ? (
            <PlaceMap
              place={{
                nom: p.nom,
                commune: p.commune,
                lat: p.latitude as number,
                lon: p.longitude as number,
              }}
              origin={null}
              outlines={props.outlines}
              title={s.placeMapTitle(p.nom)}
              words={s.placeMapWords(p.nom, address, p.commune)}
              id="lieu-plan"
            />
          ) : null}
          <ul class="no-print">
            {geo ? (
              <li>
                <a href={geo}>{s.geoLink(p.nom)}</a>
              </li>
            ) : null}
            {route ? (
              <li>
                <a href={route}>{s.routeLink(p.nom)}</a>
              </li>
            ) : null}
            {osm ? (
              <li>
                <a href={osm}>{s.mapOsm(p.nom)}</a>
              </li>
            ) : null}
            <li>
              <a
                href={`sms:?&body=${encodeURIComponent(`${p.nom}, ${address}`)}`}
                aria-describedby="sms-aide"
              >
                {s.smsLink}
              </a>{' '}
              <span class="hint" id="sms-aide">
                {s.smsHint}
              </span>
            </li>
          </ul>
        </section>
        <section class="sheet-part">
          <h2>{s.howHeading}</h2>
          {help.map((sentence) => (
            <p>{sentence}</p>
          ))}
          <Facts>
            <dt>{s.priceLabel}</dt>
            <dd>
              {keepUnits(
                p.fraisACharge.length ? p.fraisACharge.map((f) => s.fee(f)).join(', ') : s.feesUnknown,
              )}
            </dd>
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
        </section>
        {p.services.length ? (
          <section class="sheet-part">
            <h2>{s.servicesHeading}</h2>
            <ul>
              {p.services.map((x) => (
                <li>{serviceWords(x, falc)}</li>
              ))}
            </ul>
          </section>
        ) : null}
        <section class="sheet-part">
          <h2>{s.bringHeading}</h2>
          <ul>
            {whatToBring(s, p).map((item) => (
              <li>{item}</li>
            ))}
          </ul>
        </section>
        {p.presentationDetail ? (
          <section class="sheet-part sheet-text">
            <h2>{s.presentationHeading}</h2>
            {p.presentationDetail.split(/\n{2,}/).map((para) => (
              <p>{keepUnits(para)}</p>
            ))}
          </section>
        ) : null}
      </div>
      <p class="meta">
        {p.dateMaj ? s.checkedOn(formatIsoDate(p.dateMaj)) : s.checkedUnknown}
        {s.sourceLabel(p.source)}
      </p>
      {qr ? (
        <div class="print-only qr-block">
          {raw(qr)}
          <div>
            <p>
              {s.qrCaption} {sheetUrl}
            </p>
            {/* Beside the code on paper, instead of the site's footer (the same line). */}
            <NetworkContactLine contact={props.ctx.networkContact} falc={falc} />
          </div>
        </div>
      ) : null}
      <p class="no-print">
        <a href={`/lieux/${p.id}/signaler`}>{s.reportLink(p.nom)}</a>
      </p>
      {props.proContact === false ? null : (
        <p class="no-print">
          <a href={`/lieux/${p.id}/contact-pro`}>Contact pour les professionnels (connexion requise)</a>
        </p>
      )}
    </Layout>
  );
}
