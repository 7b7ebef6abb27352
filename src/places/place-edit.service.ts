import { type Actor, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getReferencePoints } from '../communes/communes.service.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { type GeocodeOptions, geocodeAddress } from './geocoding.service.ts';
import { localToday } from './place-dates.ts';
import {
  findPendingChangeOfPlace,
  insertPlaceChange,
  placesWithPendingChange,
  supersedePendingChanges,
} from './place-edit.repository.ts';
import {
  changedKeys,
  closuresOnlyReduceOffer,
  currentClosures,
  type PlaceValues,
  readStoredValues,
  type ValueKey,
  valuesOfPlace,
} from './place-edit.ts';
import { checkEditForm, type EditForm, type FieldErrors } from './place-edit-form.ts';
import {
  applyPlaceChange,
  getPlaceWithStructure,
  listPlaceClosures,
  listStructuresPlaces,
  type Place,
  replacePlaceClosures,
} from './places.service.ts';

/**
 * Members of a structure keep its places up to date. A submitted form records a proposal (place_change)
 * that the coordinator approves or rejects in the moderation queue; a newer proposal replaces the pending
 * one. Nothing public changes before approval, except temporary closures that only reduce the offer:
 * those are public at once (residents are not sent to a closed door) and the coordinator may revert them. "Les informations sont toujours à jour"
 * only renews the date of the record, at once (docs/decisions/0012).
 */
export interface EditOptions {
  config: Pick<Config, 'geocoderUrl'>;
  now?: Date;
  /** The geocoder's fetch and limits (tests use a local server). */
  geocoder?: GeocodeOptions;
}

export interface PendingProposal {
  id: string;
  proposedAt: Date;
  proposedBy: string;
  values: PlaceValues;
  /** Fields that differ from the public values. */
  changed: ValueKey[];
  /** When its closures were made public at once (null when they wait, or did not change). */
  closuresAppliedAt: Date | null;
  /** The closures public before the proposal (what a revert puts back). */
  baseClosures: PlaceValues['closures'];
}

export interface PlaceEditor {
  place: Place;
  structureId: string | null;
  /** The public values, with the closures running or to come. */
  current: PlaceValues;
  pending: PendingProposal | null;
  /** What the form starts from: the pending proposal, else the public values. */
  start: PlaceValues;
  today: string;
}

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
const actorId = (actor: Actor) => (actor.kind === 'person' ? actor.personId : null);
const actorLabel = (actor: Actor) =>
  actor.kind === 'person' ? 'personne' : actor.kind === 'system' ? 'cli' : 'anonyme';

/** Which place a change is about, from which values, and who proposes it: every recorded change says so. */
function changeOrigin(editor: PlaceEditor, actor: Actor, proposerLabel: string, now: Date) {
  return {
    place_id: editor.place.id,
    structure_id: editor.structureId,
    proposed_by: actorId(actor),
    proposed_by_label: proposerLabel.slice(0, 200) || actorLabel(actor),
    proposed_at: now,
    base: editor.current,
  };
}

/**
 * Where a new proposal starts from: the public values, except that closures made public at once by the
 * pending proposal it replaces are still the coordinator's to keep or revert, so the new one carries them
 * on (from the closures before them, applied on the same date).
 */
function proposalBase(editor: PlaceEditor): { base: PlaceValues; closuresAppliedAt: Date | null } {
  const pending = editor.pending;
  if (!pending?.closuresAppliedAt) return { base: editor.current, closuresAppliedAt: null };
  return {
    base: { ...editor.current, closures: pending.baseClosures },
    closuresAppliedAt: pending.closuresAppliedAt,
  };
}

async function loadEditor(db: Db, placeId: string, now: Date): Promise<PlaceEditor> {
  const { place, structureId } = await getPlaceWithStructure(db, placeId);
  const today = localToday(now);
  const current = valuesOfPlace(place, await listPlaceClosures(db, place.id, today));
  const row = await findPendingChangeOfPlace(db, place.id);
  let pending: PendingProposal | null = null;
  if (row) {
    const values = readStoredValues(row.proposed, current);
    pending = {
      id: row.id,
      proposedAt: row.proposed_at,
      proposedBy: row.proposed_by_label,
      values,
      changed: changedKeys(current, values),
      closuresAppliedAt: row.closures_applied_at,
      baseClosures: readStoredValues(row.base, current).closures,
    };
  }
  return { place, structureId, current, pending, start: pending?.values ?? current, today };
}

/** The edit page of a place: its public values and the proposal waiting, if any (its structure's members). */
export async function getPlaceEditor(
  db: Db,
  actor: Actor,
  input: { placeId: string },
  opts: { now?: Date } = {},
): Promise<PlaceEditor> {
  const editor = await loadEditor(db, input.placeId, nowOf(opts));
  authorize(actor, 'getPlaceEditor', editor.structureId ? { structureId: editor.structureId } : {});
  return editor;
}

export type PositionSource = 'manual' | 'geocoder' | 'commune' | 'kept' | 'none';

export type ProposalResult =
  | {
      ok: true;
      /** 'proposed': waiting for the coordinator; 'withdrawn': the form went back to the public values. */
      outcome: 'proposed' | 'withdrawn';
      changeId: string | null;
      changed: ValueKey[];
      /** Closures that only reduce the offer were made public at once. */
      closuresPublished: boolean;
      position: PositionSource;
      geocoderLabel: string | null;
    }
  | { ok: false; errors: FieldErrors };

const sameNumber = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) < 1e-9;

/**
 * Where the place is: a position typed by hand wins; otherwise, when the address changed (or the place
 * has no position), the national geocoder's answer when it is configured and sure, else the commune's
 * reference point, marked approximate; otherwise the position stays as it was.
 */
async function resolvePosition(
  db: Db,
  start: PlaceValues,
  values: Pick<PlaceValues, 'adresse' | 'code_postal' | 'commune' | 'code_insee'>,
  typed: { latitude: number | null; longitude: number | null },
  opts: EditOptions,
): Promise<{
  latitude: number | null;
  longitude: number | null;
  approximate: boolean;
  source: PositionSource;
  label: string | null;
}> {
  const typedSomething = typed.latitude !== null && typed.longitude !== null;
  const byHand =
    typedSomething &&
    (!sameNumber(typed.latitude, start.latitude) || !sameNumber(typed.longitude, start.longitude));
  if (byHand) return { ...typed, approximate: false, source: 'manual', label: null };
  const addressChanged =
    values.adresse !== start.adresse ||
    values.code_postal !== start.code_postal ||
    values.commune !== start.commune;
  if (!addressChanged && typedSomething)
    return {
      latitude: start.latitude,
      longitude: start.longitude,
      approximate: start.position_approximate,
      source: 'kept',
      label: null,
    };
  const found = await geocodeAddress(
    opts.config,
    { adresse: values.adresse, codePostal: values.code_postal, commune: values.commune },
    opts.geocoder ?? {},
  );
  if (found)
    return {
      latitude: found.latitude,
      longitude: found.longitude,
      approximate: false,
      source: 'geocoder',
      label: found.label,
    };
  const [point] = values.code_insee ? await getReferencePoints(db, [values.code_insee]) : [];
  if (point)
    return { latitude: point.lat, longitude: point.lon, approximate: true, source: 'commune', label: null };
  if (start.latitude !== null && start.longitude !== null && typedSomething)
    return {
      latitude: start.latitude,
      longitude: start.longitude,
      approximate: true,
      source: 'kept',
      label: null,
    };
  return { latitude: null, longitude: null, approximate: false, source: 'none', label: null };
}

/**
 * Records a proposed change of a place's public data (its structure's members, and coordinators). The
 * form is checked field by field (French messages naming the field); the position is resolved (by hand,
 * geocoder, commune); nothing public changes: the proposal waits for the coordinator, replacing an older
 * pending one. A form identical to the public values withdraws the pending proposal, or is refused
 * when there is none ("nothing changed").
 */
export async function proposePlaceChange(
  db: Db,
  actor: Actor,
  input: { placeId: string; form: EditForm; proposerLabel: string },
  opts: EditOptions,
): Promise<ProposalResult> {
  const now = nowOf(opts);
  const editor = await loadEditor(db, input.placeId, now);
  authorize(actor, 'proposePlaceChange', editor.structureId ? { structureId: editor.structureId } : {});
  const checked = checkEditForm(input.form, editor.today);
  if (!checked.ok) return checked;
  const position = await resolvePosition(db, editor.start, checked.values, checked.position, opts);
  const proposed: PlaceValues = {
    ...checked.values,
    pivot: editor.current.pivot,
    latitude: position.latitude,
    longitude: position.longitude,
    position_approximate: position.approximate,
  };
  const changed = changedKeys(editor.current, proposed);
  const placeId = editor.place.id;
  if (changed.length === 0) {
    if (!editor.pending)
      return {
        ok: false,
        errors: {
          form: "Vous n'avez rien changé. Si les informations sont exactes, utilisez plutôt le bouton « Les informations sont toujours à jour ».",
        },
      };
    await db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Db;
      await supersedePendingChanges(tx, placeId, now);
      await recordAudit(tx, {
        actorId: actorId(actor),
        actorLabel: actorLabel(actor),
        action: 'place_change.withdrawn',
        subjectType: 'place',
        subjectId: placeId,
        details: { changeId: editor.pending?.id ?? null },
        at: now,
      });
    });
    return {
      ok: true,
      outcome: 'withdrawn',
      changeId: null,
      changed,
      closuresPublished: false,
      position: position.source,
      geocoderLabel: null,
    };
  }
  const { base, closuresAppliedAt } = proposalBase(editor);
  const closuresAtOnce =
    changed.includes('closures') &&
    closuresOnlyReduceOffer(editor.current.closures, proposed.closures, editor.today);
  const changeId = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const superseded = await supersedePendingChanges(tx, placeId, now);
    if (closuresAtOnce)
      await replacePlaceClosures(tx, placeId, {
        closures: currentClosures(proposed.closures, editor.today),
        today: editor.today,
      });
    const id = await insertPlaceChange(tx, {
      ...changeOrigin(editor, actor, input.proposerLabel, now),
      base,
      proposed,
      closures_applied_at: closuresAtOnce ? now : closuresAppliedAt,
    });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'place_change.proposed',
      subjectType: 'place',
      subjectId: placeId,
      details: {
        changeId: id,
        fields: changed,
        superseded,
        position: position.source,
        closuresPublished: closuresAtOnce,
      },
      at: now,
    });
    return id;
  });
  return {
    ok: true,
    outcome: 'proposed',
    changeId,
    changed,
    closuresPublished: closuresAtOnce,
    position: position.source,
    geocoderLabel: position.label,
  };
}

/**
 * "Les informations sont toujours à jour": a member vouches that the public record is still right. No
 * public value changes except the date of the record (date_maj = today), so it is applied at once and
 * kept as an approved change with no difference. Refused while a proposal waits: its approval will
 * renew the date.
 */
export async function confirmPlaceUpToDate(
  db: Db,
  actor: Actor,
  input: { placeId: string; proposerLabel: string },
  opts: { now?: Date } = {},
): Promise<{ dateMaj: string }> {
  const now = nowOf(opts);
  const editor = await loadEditor(db, input.placeId, now);
  authorize(actor, 'confirmPlaceUpToDate', editor.structureId ? { structureId: editor.structureId } : {});
  if (editor.pending)
    throw new DomainError(
      'conflict',
      'Une modification de ce lieu attend la validation de la coordination. La date de mise à jour changera quand elle sera validée.',
      { changeId: editor.pending.id },
    );
  const placeId = editor.place.id;
  await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const changeId = await insertPlaceChange(tx, {
      ...changeOrigin(editor, actor, input.proposerLabel, now),
      proposed: editor.current,
      status: 'approved',
      decided_by: actorId(actor),
      decided_at: now,
      decision_message: 'Confirmation sans changement : les informations sont toujours à jour.',
    });
    await applyPlaceChange(tx, placeId, { patch: {}, closures: null, today: editor.today });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'place.confirmed_up_to_date',
      subjectType: 'place',
      subjectId: placeId,
      details: { changeId },
      at: now,
    });
  });
  return { dateMaj: editor.today };
}

export interface EditablePlace {
  place: Place;
  pending: boolean;
}

/**
 * The places a person may edit: those of the structures they belong to, with whether a change waits.
 * A coordinator may edit every place; the list shows only their own structures' (they reach the others
 * through the moderation queue and the directory).
 */
export async function listEditablePlaces(db: Db, actor: Actor): Promise<EditablePlace[]> {
  authorize(actor, 'listEditablePlaces');
  if (actor.kind !== 'person') return [];
  const places = await listStructuresPlaces(
    db,
    actor.memberships.map((m) => m.structureId),
  );
  const pending = await placesWithPendingChange(
    db,
    places.map((p) => p.id),
  );
  return places.map((place) => ({ place, pending: pending.has(place.id) }));
}
