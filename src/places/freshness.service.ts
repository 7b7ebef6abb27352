import { type Actor, authorize } from '../accounts/policy.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { formatIsoDate } from '../shared/format.ts';
import type { PublicScope } from '../shared/territory.ts';
import {
  countStalePlaces,
  insertFreshnessReminder,
  listPlacesToRemind,
  listStalePlaces,
  listStructureAdmins,
} from './freshness.repository.ts';
import { type DataQuality, getDataQuality } from './places.service.ts';
import { getPlaceImport, importReportCsv } from './places-history.service.ts';
import { type SourceQuality, sourceQualityOf } from './source-quality.service.ts';

/**
 * Freshness of the directory: a place whose date_maj is missing or older than 12 months is
 * stale; the coordinator sees them on the data-quality page (with their structure), and each structure's
 * administrators are reminded by email, at most once every 30 days. The data-quality page and the import
 * reports are for coordinators only.
 */
export const STALE_MONTHS = 12;
export const REMINDER_EVERY_DAYS = 30;
const STALE_LIST_LIMIT = 200;

export interface StalePlace {
  id: string;
  nom: string;
  commune: string;
  dateMaj: string | null;
  structureId: string | null;
  structureName: string | null;
}

export interface DataQualityView extends DataQuality {
  /** Stale places with their structure (the first ones), and how many there are. */
  staleByStructure: { count: number; places: StalePlace[]; before: string };
  /** Per source: its last import's figures and the conflicts between merged records (decision 0059). */
  bySource: SourceQuality;
}

/** The first day that is not stale: a date_maj before it (or none) is over 12 months old at `now`. */
export function staleBefore(now: Date): string {
  const limit = new Date(now);
  limit.setUTCMonth(limit.getUTCMonth() - STALE_MONTHS);
  return limit.toISOString().slice(0, 10);
}

/**
 * The coordinator's data-quality page: places without hours, approximate positions, stale places with
 * their structure, warnings of the last imports, places outside the territory (with a scope), and per
 * source what its last import brought and where merged records disagree. Coordinators only.
 */
export async function viewDataQuality(
  db: Db,
  actor: Actor,
  opts: { now?: Date; scope?: PublicScope } = {},
): Promise<DataQualityView> {
  authorize(actor, 'viewDataQuality');
  const now = opts.now ?? new Date();
  const before = staleBefore(now);
  const [quality, stale, count, bySource] = await Promise.all([
    getDataQuality(db, now, opts.scope ?? null),
    listStalePlaces(db, before, STALE_LIST_LIMIT),
    countStalePlaces(db, before),
    sourceQualityOf(db),
  ]);
  return {
    ...quality,
    bySource,
    staleByStructure: {
      count,
      before,
      places: stale.map((r) => ({
        id: r.id,
        nom: r.nom,
        commune: r.commune,
        dateMaj: r.date_maj,
        structureId: r.structure_id,
        structureName: r.structure_nom,
      })),
    },
  };
}

/**
 * How many places are stale at `now` (date_maj missing or older than 12 months), for the coordinator's
 * home page. Not a policy function: the caller's own rule has decided.
 */
export async function countStalePlacesAt(db: Db, now: Date): Promise<number> {
  return countStalePlaces(db, staleBefore(now));
}

export interface ImportReportFile {
  fileName: string;
  contentType: string;
  body: string;
}

/**
 * An import's report as a file (JSON: the whole report; CSV: one line per rejected row or warning, for
 * spreadsheets). Coordinators only: reports quote the imported rows.
 */
export async function downloadImportReport(
  db: Db,
  actor: Actor,
  input: { id: string; format: 'json' | 'csv' },
): Promise<ImportReportFile> {
  authorize(actor, 'downloadImportReport');
  const detail = await getPlaceImport(db, input.id);
  if (input.format === 'csv')
    return {
      fileName: `rapport-import-${detail.id}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: await importReportCsv(db, detail.id),
    };
  return {
    fileName: `rapport-import-${detail.id}.json`,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(detail),
  };
}

function reminderText(input: {
  name: string;
  structure: string;
  places: { id: string; nom: string; commune: string; date_maj: string | null }[];
  publicUrl: string;
}): string {
  const lines = input.places.map(
    (p) =>
      `- ${p.nom} (${p.commune}) : ${p.date_maj ? `mis à jour le ${formatIsoDate(p.date_maj)}` : 'jamais mis à jour'}\n  ${input.publicUrl}/lieux/${p.id}/modifier`,
  );
  const many = input.places.length > 1;
  return [
    `Bonjour ${input.name},`,
    '',
    `${many ? `Ces ${input.places.length} lieux` : 'Ce lieu'} de « ${input.structure} » ${many ? "n'ont pas été mis" : "n'a pas été mis"} à jour depuis plus de ${STALE_MONTHS} mois :`,
    '',
    ...lines,
    '',
    `Pour chaque lieu, ouvrez le lien, vérifiez les horaires et les informations, puis enregistrez. Même si rien n'a changé, enregistrer montre aux habitants que la fiche est à jour.`,
    '',
    `Nous vous écrivons au plus une fois tous les ${REMINDER_EVERY_DAYS} jours.`,
    '',
    "L'équipe du réseau (Maillage)",
  ].join('\n');
}

/**
 * The daily reminder job: each structure with stale places (and no change of them already waiting for
 * the coordinator) gets one message per administrator listing them with links to edit them, at most once
 * every 30 days. A structure without an administrator is not reminded (the coordinator sees it on the
 * data-quality page). Mail goes through the outbox, in the same transaction as the reminder's record.
 */
export async function sendFreshnessReminders(
  db: Db,
  opts: { config: Pick<Config, 'publicUrl'>; now?: Date },
): Promise<{ structures: number; messages: number; places: number }> {
  const now = opts.now ?? new Date();
  const remindedBefore = new Date(now.getTime() - REMINDER_EVERY_DAYS * 24 * 3_600_000);
  const rows = await listPlacesToRemind(db, staleBefore(now), remindedBefore);
  const byStructure = new Map<string, { name: string; places: typeof rows }>();
  for (const row of rows) {
    const entry = byStructure.get(row.structure_id) ?? { name: row.structure_nom, places: [] };
    entry.places.push(row);
    byStructure.set(row.structure_id, entry);
  }
  const admins = await listStructureAdmins(db, [...byStructure.keys()]);
  let structures = 0;
  let messages = 0;
  let places = 0;
  for (const [structureId, entry] of byStructure) {
    const recipients = admins.filter((a) => a.structure_id === structureId);
    if (recipients.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Db;
      for (const admin of recipients) {
        await enqueueMail(
          tx,
          {
            to: admin.email,
            kind: 'freshness_reminder',
            subject: `Maillage : ${entry.places.length > 1 ? `${entry.places.length} lieux à vérifier` : '1 lieu à vérifier'} (${entry.name})`,
            text: reminderText({
              name: admin.display_name,
              structure: entry.name,
              places: entry.places,
              publicUrl: opts.config.publicUrl,
            }),
          },
          now,
        );
      }
      await insertFreshnessReminder(tx, {
        structure_id: structureId,
        place_ids: entry.places.map((p) => p.id),
        sent_at: now,
      });
    });
    structures++;
    messages += recipients.length;
    places += entry.places.length;
  }
  return { structures, messages, places };
}
