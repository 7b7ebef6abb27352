import { createHash } from 'node:crypto';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { priceWords, TIME_ZONE, type WorkshopStatus } from './workshops.ts';

/** What a feed needs of one agenda line (`AgendaEntry` of workshops.service.ts fits). */
export interface FeedEntry {
  workshop: {
    id: string;
    title: string;
    description: string;
    structureName: string | null;
    audience: string;
    accessibility: string;
    priceCents: number;
    mode: 'place' | 'online';
    placeName: string | null;
    onlineUrl: string | null;
    updatedAt: Date;
  };
  date: { id: string; startsAt: Date; endsAt: Date; status: WorkshopStatus; sequence: number };
}

/**
 * The agenda's iCal feeds (RFC 5545, decision 0041): one `VEVENT` per date with the stable UID
 * `<date id>@<host>`, no `RRULE`; times written with `TZID=Europe/Paris` and its `VTIMEZONE`;
 * `SEQUENCE` the workshop's plus the date's own (only grows); `STATUS` TENTATIVE, CONFIRMED or
 * CANCELLED (a cancelled date or workshop stays in the feed until its end, as `listUpcomingWorkshops`
 * keeps it). No personal data: fields and counts only.
 */

const STATUS = {
  tentative: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
} as const;

export interface FeedOptions {
  /** The installation's public address ('https://maillage.example.org'): links and the UIDs' host. */
  publicUrl: string;
  /** The feed's name, as calendars show it. */
  name: string;
}

/** The host part of the UIDs: the public address's host name (stable as long as the address is). */
export const uidHost = (publicUrl: string) => new URL(publicUrl).hostname;

export const eventUid = (dateId: string, publicUrl: string) => `${dateId}@${uidHost(publicUrl)}`;

export const workshopPath = (workshopId: string) => `/agenda/ateliers/${workshopId}`;

const paris = (d: Date) => DateTime.fromJSDate(d, { zone: TIME_ZONE });

/** The event's plain-text description: the workshop's words, then the practical lines. */
function describe(entry: FeedEntry, url: string, position: { index: number; total: number } | null) {
  const w = entry.workshop;
  const lines: string[] = [];
  if (entry.date.status === 'cancelled') lines.push('Cette séance est annulée.');
  else if (entry.date.status === 'tentative') lines.push('Atelier à confirmer.');
  if (position && position.total > 1) lines.push(`Séance ${position.index} sur ${position.total}.`);
  if (w.description) lines.push(w.description);
  if (w.structureName) lines.push(`Proposé par : ${w.structureName}`);
  if (w.audience) lines.push(`Public : ${w.audience}`);
  if (w.accessibility) lines.push(`Accessibilité : ${w.accessibility}`);
  lines.push(`Prix : ${priceWords(w.priceCents)}`);
  lines.push(`Inscription : ${url}`);
  return lines.join('\n');
}

/**
 * The feed's text for these entries (as `listUpcomingWorkshops` gives them). `positions` maps a date
 * id to its rank in its series, when known ("Séance 2 sur 4").
 */
export function agendaFeed(
  entries: readonly FeedEntry[],
  opts: FeedOptions,
  positions: ReadonlyMap<string, { index: number; total: number }> = new Map(),
): string {
  const base = opts.publicUrl.replace(/\/+$/, '');
  const cal = ical({
    name: opts.name,
    prodId: { company: 'Maillage', product: 'Agenda', language: 'FR' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: TIME_ZONE, generator: (tz: string) => tzlib_get_ical_block(tz)[0] ?? null },
    ttl: 60 * 60,
  });
  for (const entry of entries) {
    const w = entry.workshop;
    const url = `${base}${workshopPath(w.id)}`;
    cal.createEvent({
      id: eventUid(entry.date.id, base),
      sequence: entry.date.sequence,
      start: paris(entry.date.startsAt),
      end: paris(entry.date.endsAt),
      timezone: TIME_ZONE,
      // The last change of the workshop: stable between two requests, so the feed's ETag is too.
      stamp: paris(w.updatedAt),
      lastModified: paris(w.updatedAt),
      summary: entry.date.status === 'cancelled' ? `Annulé : ${w.title}` : w.title,
      description: describe(entry, url, positions.get(entry.date.id) ?? null),
      location:
        w.mode === 'online' ? (w.onlineUrl ?? 'En ligne') : w.placeName ? { title: w.placeName } : null,
      url,
      status: STATUS[entry.date.status],
    });
  }
  return cal.toString();
}

/** A strong validator of a feed's text, for `ETag`. */
export const feedEtag = (text: string) =>
  `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
