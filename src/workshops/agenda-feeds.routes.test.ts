import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { testApp } from '../../test/support/app.ts';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import {
  aWorkshop,
  type WorkshopNetwork,
  workshopForm,
  workshopNetwork,
} from '../../test/support/workshop-fixtures.ts';
import {
  cancelWorkshop,
  cancelWorkshopDate,
  updateWorkshop,
  type WorkshopView,
} from './workshops.service.ts';

after(closeTestTemplate);

const PUBLIC_URL = 'https://agenda.example.org';
// Dates next year, whatever the day the test runs: one in winter (UTC+1), one in summer (UTC+2).
const Y = new Date().getUTCFullYear() + 1;
const WINTER = { startsAt: `${Y}-01-12T14:00`, endsAt: '16:00' };
const SPRING = { startsAt: `${Y}-02-09T14:00`, endsAt: '16:00' };
const SUMMER = { startsAt: `${Y}-07-06T09:30`, endsAt: '11:00' };

interface ParsedEvent {
  uid: string;
  start: string;
  end: string;
  tzid: string | null;
  startUtc: string;
  endUtc: string;
  status: string;
  sequence: number;
  summary: string;
  url: string;
  location: string | null;
  description: string;
}

/** The feed, parsed by ical.js (an independent implementation), with its time zones registered. */
function parse(text: string): { events: ParsedEvent[]; timezones: string[]; calendar: ICAL.Component } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const timezones = calendar.getAllSubcomponents('vtimezone').map((tz) => {
    const zone = new ICAL.Timezone(tz);
    ICAL.TimezoneService.register(zone);
    return String(tz.getFirstPropertyValue('tzid'));
  });
  const events = calendar.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    const prop = v.getFirstProperty('dtstart');
    return {
      uid: e.uid,
      start: e.startDate.toString(),
      end: e.endDate.toString(),
      tzid: (prop?.getParameter('tzid') as string | undefined) ?? null,
      startUtc: e.startDate.toJSDate().toISOString(),
      endUtc: e.endDate.toJSDate().toISOString(),
      status: String(v.getFirstPropertyValue('status')),
      sequence: e.sequence,
      summary: e.summary,
      url: String(v.getFirstPropertyValue('url')),
      location: e.location ?? null,
      description: e.description,
    };
  });
  return { events, timezones, calendar };
}

describe('the agenda iCal feeds', () => {
  let t: TestDb;
  let n: WorkshopNetwork;
  let app: ReturnType<typeof testApp>;
  let series: WorkshopView;
  let online: WorkshopView;
  let cancelledOne: WorkshopView;
  before(async () => {
    t = await createTestDb();
    n = await workshopNetwork(t.db);
    app = testApp(t.db, { PUBLIC_URL });
    series = await aWorkshop(
      t.db,
      n.facilitator,
      n.a,
      workshopForm(n.placeA, { title: 'Série smartphone' }),
      [WINTER, SPRING, SUMMER],
      new Date(),
    );
    // A change of the workshop (sequence +1), then its second date cancelled alone (date sequence +1).
    const changed = await updateWorkshop(
      t.db,
      n.facilitator,
      {
        workshopId: series.id,
        workshop: workshopForm(n.placeA, { title: 'Série smartphone', accessibility: 'Ascenseur' }),
      },
      { publicUrl: PUBLIC_URL },
    );
    assert.ok(changed.ok);
    await cancelWorkshopDate(t.db, n.facilitator, { occurrenceId: series.dates[1]?.id as string });
    online = await aWorkshop(
      t.db,
      n.other,
      n.b,
      workshopForm(n.placeB, {
        title: 'Visio : les courriels',
        mode: 'online',
        onlineUrl: 'https://visio.example.org/courriels',
        placeId: '',
        themes: [],
        needs: ['adresse-mail'],
        status: 'tentative',
      }),
      [{ startsAt: `${Y}-03-02T10:00`, endsAt: '11:30' }],
      new Date(),
    );
    cancelledOne = await aWorkshop(
      t.db,
      n.other,
      n.b,
      workshopForm(n.placeB, { title: 'Atelier annulé' }),
      [{ startsAt: `${Y}-04-06T10:00`, endsAt: '12:00' }],
      new Date(),
    );
    await cancelWorkshop(t.db, n.other, { workshopId: cancelledOne.id });
  });
  after(async () => {
    await t.close();
  });

  const feed = async (path: string, headers: Record<string, string> = {}) => {
    const res = await app.request(path, { headers });
    return { res, text: res.status === 200 ? await res.text() : '' };
  };

  it('gives the whole agenda, every date its own event that round-trips through ical.js', async () => {
    const { res, text } = await feed('/agenda.ics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Content-Type') ?? '', /^text\/calendar; charset=utf-8/);
    assert.equal(res.headers.get('Cache-Control'), 'public, max-age=300');
    assert.ok(res.headers.get('ETag'));
    assert.match(text, /^BEGIN:VCALENDAR\r\n/);
    assert.match(text, /\r\nEND:VCALENDAR(\r\n)?$/);
    const { events, timezones } = parse(text);
    assert.deepEqual(timezones, ['Europe/Paris']);
    assert.equal(events.length, 5, 'three dates of the series, the online one, the cancelled workshop');
    const byUid = new Map(events.map((e) => [e.uid, e]));
    const uid = (id: string | undefined) => byUid.get(`${id}@agenda.example.org`) as ParsedEvent;

    // Winter date: 14:00 Paris = 13:00 UTC; sequence 1 (the workshop changed once).
    const winter = uid(series.dates[0]?.id);
    assert.equal(winter.tzid, 'Europe/Paris');
    assert.equal(winter.start, `${Y}-01-12T14:00:00`);
    assert.equal(winter.end, `${Y}-01-12T16:00:00`);
    assert.equal(winter.startUtc, `${Y}-01-12T13:00:00.000Z`);
    assert.equal(winter.endUtc, `${Y}-01-12T15:00:00.000Z`);
    assert.equal(winter.status, 'CONFIRMED');
    assert.equal(winter.sequence, 1);
    assert.equal(winter.summary, 'Série smartphone');
    assert.equal(winter.url, `${PUBLIC_URL}/agenda/ateliers/${series.id}`);
    assert.equal(winter.location, 'Médiathèque Sud');
    assert.match(winter.description, /Accessibilité : Ascenseur/);
    assert.match(winter.description, /Prix : Gratuit/);

    // The cancelled date of the series: its own UID, STATUS:CANCELLED, sequence workshop 1 + date 1.
    const cancelledDate = uid(series.dates[1]?.id);
    assert.equal(cancelledDate.status, 'CANCELLED');
    assert.equal(cancelledDate.sequence, 2);
    assert.equal(cancelledDate.startUtc, `${Y}-02-09T13:00:00.000Z`);
    assert.match(cancelledDate.summary, /^Annulé : /);

    // Summer date: 09:30 Paris = 07:30 UTC.
    const summer = uid(series.dates[2]?.id);
    assert.equal(summer.tzid, 'Europe/Paris');
    assert.equal(summer.start, `${Y}-07-06T09:30:00`);
    assert.equal(summer.startUtc, `${Y}-07-06T07:30:00.000Z`);
    assert.equal(summer.endUtc, `${Y}-07-06T09:00:00.000Z`);
    assert.equal(summer.status, 'CONFIRMED');

    const tentative = uid(online.dates[0]?.id);
    assert.equal(tentative.status, 'TENTATIVE');
    assert.equal(tentative.sequence, 0);
    assert.equal(tentative.location, 'https://visio.example.org/courriels');

    const whole = uid(cancelledOne.dates[0]?.id);
    assert.equal(whole.status, 'CANCELLED');
    assert.equal(whole.sequence, 1);
    // No personal data, ever: no attendee, no organizer's address.
    assert.ok(!/ATTENDEE|ORGANIZER|MAILTO/i.test(text));
  });

  it('keeps UIDs stable and answers 304 to a calendar that has the feed', async () => {
    const first = await feed('/agenda.ics');
    const second = await feed('/agenda.ics');
    assert.equal(first.text, second.text);
    const etag = first.res.headers.get('ETag') as string;
    const again = await app.request('/agenda.ics', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('ETag'), etag);
  });

  it('filters by place, structure and theme or need', async () => {
    const uids = async (path: string) => {
      const { res, text } = await feed(path);
      assert.equal(res.status, 200, path);
      return parse(text)
        .events.map((e) => e.summary)
        .sort();
    };
    assert.deepEqual(await uids(`/agenda/lieux/${n.placeA}.ics`), [
      'Annulé : Série smartphone',
      'Série smartphone',
      'Série smartphone',
    ]);
    assert.deepEqual(await uids(`/agenda/structures/${n.b}.ics`), [
      'Annulé : Atelier annulé',
      'Visio : les courriels',
    ]);
    assert.deepEqual(await uids('/agenda/themes/adresse-mail.ics'), ['Visio : les courriels']);
    assert.equal((await uids('/agenda/themes/prendre_en_main_du_materiel.ics')).length, 4);
    // An unknown place with a well-formed id: an empty calendar is not an answer, 404.
    assert.equal((await feed('/agenda/lieux/00000000-0000-4000-8000-000000000000.ics')).res.status, 404);
  });

  it('answers 404 to malformed or unknown ids and themes, never 500', async () => {
    for (const path of [
      '/agenda/lieux/pas-un-id.ics',
      `/agenda/lieux/${n.placeA}.ical`,
      `/agenda/lieux/${n.placeA}`,
      '/agenda/structures/12.ics',
      '/agenda/structures/00000000-0000-4000-8000-000000000000.ics',
      '/agenda/themes/inconnu.ics',
      '/agenda/themes/constructor.ics',
      '/agenda/themes/%E2%82%AC.ics',
      "/agenda/lieux/'%20or%201=1.ics",
    ]) {
      const res = await app.request(path);
      assert.equal(res.status, 404, path);
    }
  });
});
