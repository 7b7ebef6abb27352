import { type Actor, authorize, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { isUuid } from '../shared/ids.ts';
import { structureNames } from '../structures/structures.service.ts';
import {
  countActivitiesSince,
  countCoordinationActivitiesSince,
  findActivityIdByVoucherEntry,
} from './activities.repository.ts';
import { lastActivityDefaults } from './activities.service.ts';
import type { ActivityValues } from './activities.ts';
import { orientationForForm, redemptionForForm, workshopDateForForm } from './activity-links.service.ts';
import { themesOfNeeds } from './need-themes.ts';
import type { ActivityKind } from './vocabulary.ts';

/**
 * What the pages of activity records need besides the records (decision 0038, "Pages and links"): the
 * form's choices and starting values — the mediator's last record, or what the orientation or the pass
 * numérique redemption it comes from says — and the home page's block.
 */

export const PAGE_MESSAGES = {
  noStructure:
    'Les activités sont enregistrées par les équipes des structures du réseau. Vous ne faites partie d’aucune structure : demandez à rejoindre la vôtre depuis « Mon compte ».',
  notYourStructure: 'Vous ne faites pas partie de cette structure : choisissez l’une des vôtres.',
  orientationElsewhere:
    'Cette orientation n’a pas été reçue par votre structure : l’accompagnement est enregistré sans lien.',
  redemptionElsewhere:
    'Cet encaissement n’existe pas, a été annulé ou n’est pas celui d’un lieu de votre structure : l’accompagnement est enregistré sans lien.',
  workshopDateElsewhere:
    'Cette date d’atelier n’existe pas ou n’est pas celle d’un atelier de votre structure : l’atelier est enregistré sans lien.',
} as const;

export interface ActivityFormStart {
  /** The structure's places (the "lieu d'activité" choices). */
  places: { id: string; name: string; commune: string }[];
  values: Partial<ActivityValues>;
  /** A sentence about where the form comes from (an orientation, a redemption), or why the link is gone. */
  origin: string | null;
  /** The record already written for this redemption or this workshop date: the page goes there instead. */
  existingActivityId?: string;
}

/**
 * The form of a new record for one of the actor's structures: its places, and its starting values — the
 * mediator's last record dated today (`lastActivityDefaults`), or the orientation received by the
 * structure and closed as "came" (its place, its needs as themes), or the structure's redemption of a
 * pass numérique voucher (its place, its day, its needs as themes). Only the staff of the structure.
 */
export async function activityForm(
  db: Db,
  actor: Actor,
  input: {
    structureId: string;
    kind: ActivityKind;
    orientationId?: string;
    voucherEntryId?: string;
    /** A date of one of the structure's workshops (the agenda's), once over: the workshop's record. */
    workshopDateId?: string;
  },
  opts: { now?: Date } = {},
): Promise<ActivityFormStart> {
  authorize(actor, 'activityForm', { structureId: input.structureId });
  const structureId = input.structureId;
  const places = (await listStructuresPlaces(db, [structureId]))
    .map((p) => ({ id: p.id, name: p.nom, commune: p.commune }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  const last = await lastActivityDefaults(db, actor, { structureId }, opts);
  const values: Partial<ActivityValues> = { ...last, kind: input.kind };
  if (last.kind !== input.kind && input.kind === 'collectif') values.duration = '120';
  if (last.kind !== input.kind && input.kind === 'individuel') values.duration = '30';
  const placeIds = new Set(places.map((p) => p.id));
  if (values.placeKind === 'lieu_activite' && !placeIds.has(values.placeId ?? ''))
    values.placeId = places.length === 1 ? (places[0]?.id ?? '') : '';
  let origin: string | null = null;
  if (input.kind === 'individuel' && input.orientationId) {
    const o = isUuid(input.orientationId)
      ? await orientationForForm(db, structureId, input.orientationId.toLowerCase())
      : null;
    if (!o) origin = PAGE_MESSAGES.orientationElsewhere;
    else {
      values.orientationId = o.id;
      const themes = themesOfNeeds(o.needs);
      if (themes.length > 0) values.themes = themes;
      if (o.placeId && placeIds.has(o.placeId)) {
        values.placeKind = 'lieu_activite';
        values.placeId = o.placeId;
      }
      origin =
        'Accompagnement de la personne orientée vers votre structure : ses besoins ont coché les thématiques.';
    }
  }
  if (input.kind === 'individuel' && input.voucherEntryId) {
    const id = /^[1-9]\d{0,14}$/.test(input.voucherEntryId) ? Number(input.voucherEntryId) : null;
    const existing = id === null ? undefined : await findActivityIdByVoucherEntry(db, id);
    const r = id === null ? null : await redemptionForForm(db, structureId, id);
    if (!r) origin = PAGE_MESSAGES.redemptionElsewhere;
    else if (existing) return { places, values, origin, existingActivityId: existing };
    else {
      values.voucherEntryId = String(r.id);
      if (r.servedOn) values.date = r.servedOn;
      const themes = themesOfNeeds(r.needs);
      if (themes.length > 0) values.themes = themes;
      if (placeIds.has(r.placeId)) {
        values.placeKind = 'lieu_activite';
        values.placeId = r.placeId;
      }
      origin = 'Accompagnement payé par un chèque pass numérique : son jour et l’aide donnée sont repris.';
    }
  }
  if (input.kind === 'collectif' && input.workshopDateId) {
    const d = isUuid(input.workshopDateId)
      ? await workshopDateForForm(db, structureId, input.workshopDateId.toLowerCase())
      : null;
    if (!d) origin = PAGE_MESSAGES.workshopDateElsewhere;
    else if (d.existingActivityId)
      return { places, values, origin, existingActivityId: d.existingActivityId };
    else {
      const w = d.workshop;
      values.workshopDateId = d.id;
      values.date = d.day;
      values.duration = String(d.minutes);
      if (w.place_id && placeIds.has(w.place_id)) {
        values.placeKind = 'lieu_activite';
        values.placeId = w.place_id;
      } else if (w.mode === 'online') {
        values.placeKind = 'a_distance';
        values.placeId = '';
      }
      values.themes = [...new Set([...w.themes, ...themesOfNeeds(w.needs)])];
      values.equipment = []; // the workshop does not say: not the last record's
      values.workshopTitle = w.title;
      values.workshopLevel = w.level ?? '';
      values.participantsTotal = d.attended > 0 ? String(d.attended) : '';
      origin = `Atelier de l’agenda du ${frenchDate(d.day)} : sa date, sa durée, son lieu, ses thématiques, son niveau et ses ${d.attended} présent${d.attended > 1 ? 's' : ''} sont repris. Complétez la répartition des participants si vous la connaissez.`;
    }
  }
  return { places, values, origin };
}

/** The first day of the month of `now` (Paris), 'YYYY-MM-01'. */
const monthStart = (now: Date) => `${localToday(now).slice(0, 7)}-01`;

/** Staff of a structure: the records of this month, and the link to record one (one block a structure). */
export async function homeBlocks(db: Db, actor: Actor, now = new Date()): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const coordination = can(actor, 'listCoordinationActivities') ? [await coordinationBlock(db, now)] : [];
  const ids = actor.memberships
    .map((m) => m.structureId)
    .filter((structureId) => can(actor, 'listActivities', { structureId }));
  if (ids.length === 0) return coordination;
  const [counts, names] = await Promise.all([
    countActivitiesSince(db, ids, monthStart(now)),
    structureNames(db, ids),
  ]);
  const blocks = ids.map((id): HomeBlock => {
    const n = counts.get(id) ?? 0;
    const name = names.get(id);
    const query = ids.length > 1 ? `?structure=${id}` : '';
    return {
      id: 'activities.month',
      audience: 'structure',
      title: 'Activités du mois',
      count: n,
      summary:
        n === 0
          ? 'Aucun accompagnement ni atelier enregistré ce mois-ci.'
          : `${n} activité${n > 1 ? 's' : ''} (accompagnements et ateliers) enregistrée${n > 1 ? 's' : ''} ce mois-ci.`,
      href: `/activites/nouveau${query}`,
      linkLabel: 'Enregistrer un accompagnement',
      more: { href: `/activites${query}`, label: 'Voir les activités' },
      kind: 'figures',
      ...(name ? { structureName: name } : {}),
    } satisfies HomeBlock;
  });
  return [...blocks, ...coordination];
}

/** The coordinators' block: the network's coordination activities of the year, and where to record one. */
async function coordinationBlock(db: Db, now: Date): Promise<HomeBlock> {
  const n = await countCoordinationActivitiesSince(db, `${localToday(now).slice(0, 4)}-01-01`);
  return {
    id: 'activities.coordination',
    audience: 'coordinator',
    title: 'Activités de coordination',
    count: n,
    summary:
      n === 0
        ? 'Aucune activité de coordination enregistrée cette année.'
        : `${n} activité${n > 1 ? 's' : ''} de coordination (animations, événements, partenariats) cette année.`,
    href: '/activites/coordination',
    linkLabel: 'Voir et enregistrer les activités de coordination',
    kind: 'figures',
  };
}
