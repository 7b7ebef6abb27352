import { type Context, Hono } from 'hono';
import { THEME_LABELS } from '../activities/vocabulary.ts';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { getPlace } from '../places/places.service.ts';
import { needBySlug } from '../search/needs.ts';
import { DomainError } from '../shared/domain-error.ts';
import { agendaFeed, feedEtag } from './ical.ts';
import { type AgendaEntry, getAgendaStructure, listUpcomingWorkshops } from './workshops.service.ts';

type C = Context<AppEnv>;

/** Calendars poll; a feed may be five minutes old (shared caches included: it holds no person). */
const CACHE = 'public, max-age=300';

/** `abc.ics` → `abc`; anything else is no feed. */
function feedName(file: string): string {
  if (!file.endsWith('.ics')) throw new DomainError('not_found', "Ce calendrier n'existe pas.");
  return file.slice(0, -'.ics'.length);
}

function sendFeed(c: C, entries: AgendaEntry[], name: string) {
  const config = c.get('config');
  const text = agendaFeed(entries, { publicUrl: config.publicUrl, name });
  const etag = feedEtag(text);
  c.header('Cache-Control', CACHE);
  c.header('ETag', etag);
  c.header('Vary', 'Accept-Encoding');
  const inm = c.req.header('If-None-Match');
  if (inm?.split(',').some((t) => t.trim() === etag)) return c.body(null, 304);
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', 'inline; filename="agenda.ics"');
  return c.body(text);
}

/**
 * The agenda's iCal feeds (decision 0041), public and cacheable: the whole agenda, one place's, one
 * structure's, one theme's (La Coop's activity themes or the search's everyday needs). Unknown or
 * malformed ids are 404, never 500.
 */
export function agendaFeedsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const network = (c: C) => c.get('config').networkName;

  app.get('/agenda.ics', async (c) => {
    const entries = await listUpcomingWorkshops(c.get('db'), publicActor(c));
    return sendFeed(c, entries, `Agenda — ${network(c)}`);
  });

  app.get('/agenda/lieux/:file', async (c) => {
    const id = feedName(c.req.param('file'));
    const place = await getPlace(c.get('db'), publicActor(c), { placeId: id });
    const entries = await listUpcomingWorkshops(c.get('db'), publicActor(c), { placeId: place.id });
    return sendFeed(c, entries, `Ateliers — ${place.nom}`);
  });

  app.get('/agenda/structures/:file', async (c) => {
    const structure = await getAgendaStructure(c.get('db'), publicActor(c), {
      structureId: feedName(c.req.param('file')),
    });
    const entries = await listUpcomingWorkshops(c.get('db'), publicActor(c), { structureId: structure.id });
    return sendFeed(c, entries, `Ateliers — ${structure.name}`);
  });

  app.get('/agenda/themes/:file', async (c) => {
    const slug = feedName(c.req.param('file'));
    const theme = Object.hasOwn(THEME_LABELS, slug) ? THEME_LABELS[slug as keyof typeof THEME_LABELS] : null;
    const need = theme ? null : needBySlug(slug);
    if (!theme && !need) throw new DomainError('not_found', "Ce thème n'existe pas.", { theme: slug });
    const entries = await listUpcomingWorkshops(
      c.get('db'),
      publicActor(c),
      theme ? { theme: slug } : { need: slug },
    );
    return sendFeed(c, entries, `Ateliers — ${theme ?? need?.label}`);
  });

  return app;
}
