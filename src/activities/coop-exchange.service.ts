import { type Actor, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getCommune } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { structureNames } from '../structures/structures.service.ts';
import { insertActivity, insertParticipants, participantsRow, refusedBy } from './activities.repository.ts';
import { MESSAGES, type ParticipantCounts } from './activities.ts';
import { countRecords, findImportedIds, findOwnIds, listForExport } from './coop-exchange.repository.ts';
import { COOP_ERRORS_SHOWN, type ParsedActivity, readCoopExport, type SheetError } from './coop-sheet.ts';
import { type ExportRecord, writeCoopCsv, writeCoopXlsx } from './coop-sheet-write.ts';
import {
  AGE_BAND_LABELS,
  type AgeBand,
  type Autonomy,
  type Equipment,
  GENDER_LABELS,
  type Gender,
  keysOf,
  type Redirection,
  SOCIAL_STATUS_LABELS,
  type SocialStatus,
  type Theme,
} from './vocabulary.ts';

/**
 * In and out of La Coop de la médiation numérique (decision 0039): a structure's staff import the Coop's
 * export of accompaniments (XLSX or CSV) — all of it or nothing, an activity already there counted and
 * left alone — and export their records in the same layout.
 */

export const EXCHANGE_MESSAGES = {
  unknownStructure: MESSAGES.unknownStructure,
  /** Two imports of the same activities at the same moment: the second finds them taken. */
  raced:
    'Un autre import des mêmes activités vient d’avoir lieu en même temps. Rien n’a été importé : recommencez, les activités déjà là seront reconnues.',
} as const;

export type CoopImportResult =
  | {
      ok: true;
      format: 'xlsx' | 'csv';
      /** Lines of the table (one per participant). */
      lines: number;
      /** Activities written now. */
      added: number;
      /** Activities this structure already had (an earlier import of the same export, or its own records). */
      alreadyHere: number;
      /** Activities another structure of the network already imported (left to it). */
      elsewhere: { id: string; rows: number[] }[];
      /** Activities placed at one of the structure's places by their "Nom du lieu". */
      placesMatched: number;
    }
  | {
      ok: false;
      /** Errors of the file itself (not a spreadsheet, another layout…): no row. */
      fileError: string | null;
      /** Errors of rows, at most COOP_ERRORS_SHOWN of them, sorted by row. */
      errors: SheetError[];
      /** How many row errors there were in all. */
      errorCount: number;
    };

const scoped = (structureId: string) => (isUuid(structureId) ? structureId.toLowerCase() : structureId);

async function structureName(db: Db, structureId: string): Promise<string> {
  const name = isUuid(structureId) ? (await structureNames(db, [structureId])).get(structureId) : undefined;
  if (name === undefined)
    throw new DomainError('not_found', EXCHANGE_MESSAGES.unknownStructure, { structureId });
  return name;
}

function participantsOf(row: Record<string, unknown> | null): ParticipantCounts | null {
  if (!row) return null;
  const pick = <K extends string>(labels: Record<K, string>, prefix: string) =>
    Object.fromEntries(keysOf(labels).map((k) => [k, Number(row[`${prefix}_${k}`] ?? 0)])) as Record<
      K,
      number
    >;
  return {
    total: Number(row.total),
    alreadyAccompanied: Number(row.already_accompanied),
    gender: pick<Gender>(GENDER_LABELS, 'gender'),
    ageBand: pick<AgeBand>(AGE_BAND_LABELS, 'age'),
    socialStatus: pick<SocialStatus>(SOCIAL_STATUS_LABELS, 'status'),
  };
}

/**
 * What the exchange page shows a structure's staff: the structure's name, how many records it has and
 * how many came from La Coop.
 */
export async function describeCoopExchange(
  db: Db,
  actor: Actor,
  input: { structureId: string },
): Promise<{ structureId: string; structureName: string; records: number; imported: number }> {
  const structureId = scoped(input.structureId);
  authorize(actor, 'describeCoopExchange', { structureId });
  const name = await structureName(db, structureId);
  const counts = await countRecords(db, structureId);
  return { structureId, structureName: name, records: counts.all, imported: counts.imported };
}

/**
 * Imports a Coop export of accompaniments for a structure, by one of its staff. The file is read whole
 * and every activity checked (`readCoopExport`: the form's rules, row and column named) before anything
 * is written; then every new activity is written in one transaction. Any error: nothing is written and
 * every error is listed (the first COOP_ERRORS_SHOWN). An activity already imported (its "ID CRA"), or
 * one of Maillage's own records exported then imported back, is counted and left alone; one imported by
 * another structure is named and left to it. "Nom du lieu" is matched to one of the structure's places
 * by name, else kept as the name written.
 */
export async function importCoopExport(
  db: Db,
  actor: Actor,
  input: { structureId: string; bytes: Uint8Array; fileName: string },
  opts: { now?: Date } = {},
): Promise<CoopImportResult> {
  const structureId = scoped(input.structureId);
  authorize(actor, 'importCoopExport', { structureId });
  await structureName(db, structureId);
  const places = await listStructuresPlaces(db, [structureId]);
  const read = readCoopExport(input.bytes, {
    today: localToday(opts.now ?? new Date()),
    places: places.map((p) => ({ id: p.id, name: p.nom })),
  });
  if (!read.ok) return { ok: false, fileError: read.error, errors: [], errorCount: 0 };
  if (read.errors.length > 0)
    return {
      ok: false,
      fileError: null,
      errors: read.errors.slice(0, COOP_ERRORS_SHOWN),
      errorCount: read.errors.length,
    };
  const ids = read.activities.map((a) => a.externalId);
  const imported = new Map((await findImportedIds(db, ids)).map((r) => [r.external_id, r.structure_id]));
  const own = new Map(
    (
      await findOwnIds(
        db,
        ids.filter(isUuid).map((id) => id.toLowerCase()),
      )
    ).map((r) => [r.id, r.structure_id]),
  );
  const fresh: ParsedActivity[] = [];
  let alreadyHere = 0;
  const elsewhere: { id: string; rows: number[] }[] = [];
  for (const a of read.activities) {
    const holder = imported.get(a.externalId) ?? own.get(a.externalId.toLowerCase());
    if (holder === undefined) fresh.push(a);
    else if (holder === structureId) alreadyHere++;
    else elsewhere.push({ id: a.externalId, rows: a.rows });
  }
  const byId = new Map(places.map((p) => [p.id, p]));
  try {
    await db.transaction().execute(async (tx) => {
      for (const a of fresh) {
        const f = a.fields;
        const place = f.placeId ? byId.get(f.placeId) : undefined;
        const id = await insertActivity(tx, {
          structure_id: structureId,
          // The Coop's mediator is not kept, and the person importing did not do the work: no author
          // (who imported is in the audit log).
          author_id: null,
          kind: f.kind,
          date: f.date,
          duration_minutes: f.durationMinutes,
          place_kind: f.placeKind,
          place_id: f.placeId,
          // The name as the Coop wrote it: the export gives it back unchanged.
          place_name: a.placeName,
          commune_code: f.communeCode ?? place?.codeInsee ?? null,
          postal_code: f.postalCode ?? (place?.codePostal || null),
          themes: f.themes,
          equipment: f.equipment,
          procedure_details: f.procedureDetails,
          autonomy: f.autonomy,
          oriented: f.oriented,
          redirection: f.redirection,
          beneficiary_commune_code: f.beneficiaryCommuneCode,
          workshop_title: f.workshopTitle,
          workshop_level: f.workshopLevel,
          source: 'coop_import',
          external_id: a.externalId,
        });
        await insertParticipants(tx, participantsRow(id, f.participants));
      }
      if (fresh.length > 0)
        await recordAudit(tx, {
          actorId: actor.kind === 'person' ? actor.personId : null,
          actorLabel: actor.kind === 'person' ? 'personne' : 'cli',
          action: 'activity.imported',
          subjectType: 'structure',
          subjectId: structureId,
          details: { fichier: input.fileName.slice(0, 120), ajoutées: fresh.length, déjàLà: alreadyHere },
          at: opts.now ?? new Date(),
        });
    });
  } catch (error) {
    const refused = refusedBy(error);
    if (refused?.constraint === 'activity_external_key')
      return { ok: false, fileError: EXCHANGE_MESSAGES.raced, errors: [], errorCount: 0 };
    throw error;
  }
  return {
    ok: true,
    format: read.format,
    lines: read.lines,
    added: fresh.length,
    alreadyHere,
    elsewhere,
    placesMatched: fresh.filter((a) => a.placeMatched).length,
  };
}

/** The most records one export holds (a narrower period gives the rest). */
export const EXPORT_LIMIT = 50_000;

/**
 * A structure's records in the layout of the Coop's export of accompaniments, for its staff: between two
 * days included when given ('YYYY-MM-DD'), oldest first, as XLSX or CSV, with the file's name.
 */
export async function exportCoop(
  db: Db,
  actor: Actor,
  input: { structureId: string; from?: string | undefined; to?: string | undefined; format: 'xlsx' | 'csv' },
  opts: { now?: Date } = {},
): Promise<{ fileName: string; contentType: string; body: Uint8Array; records: number }> {
  const structureId = scoped(input.structureId);
  authorize(actor, 'exportCoop', { structureId });
  const name = await structureName(db, structureId);
  const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  const from = day(input.from);
  const to = day(input.to);
  const rows = await listForExport(db, structureId, { from, to, limit: EXPORT_LIMIT });
  const places = new Map((await listStructuresPlaces(db, [structureId])).map((p) => [p.id, p]));
  const records: ExportRecord[] = rows.map((r) => ({
    id: r.id,
    source: r.source,
    externalId: r.external_id,
    kind: r.kind,
    date: r.date,
    durationMinutes: r.duration_minutes,
    placeKind: r.place_kind,
    placeName: r.place_name,
    communeCode: r.commune_code,
    postalCode: r.postal_code,
    themes: r.themes as Theme[],
    equipment: r.equipment as Equipment[],
    procedureDetails: r.procedure_details,
    autonomy: r.autonomy as Autonomy | null,
    oriented: r.oriented,
    redirection: r.redirection as Redirection | null,
    beneficiaryCommuneCode: r.beneficiary_commune_code,
    workshopTitle: r.workshop_title,
    workshopLevel: r.workshop_level,
    participants: participantsOf(r.participants as Record<string, unknown> | null),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    placeAddress: (r.place_id && places.get(r.place_id)?.adresse) || null,
  }));
  const meta = {
    structureName: name,
    generatedAt: opts.now ?? new Date(),
    from,
    to,
    communeName: (code: string) => getCommune(code)?.nom ?? null,
  };
  const stamp = localToday(meta.generatedAt);
  const base = `activites-coop-${stamp}`;
  if (input.format === 'csv')
    return {
      fileName: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: new TextEncoder().encode(writeCoopCsv(records, meta)),
      records: records.length,
    };
  return {
    fileName: `${base}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: writeCoopXlsx(records, meta),
    records: records.length,
  };
}
