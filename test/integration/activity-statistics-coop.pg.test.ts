import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import type { Actor } from '../../src/accounts/policy.ts';
import {
  funderStatistics,
  networkStatistics,
  type StatisticsView,
  structureStatistics,
} from '../../src/activities/statistics.service.ts';
import type { Share } from '../../src/activities/statistics.ts';
import {
  ADMINISTRATIVE_THEME_LABELS,
  AGE_BAND_LABELS,
  AUTONOMY_LABELS,
  DIGITAL_THEME_LABELS,
  EQUIPMENT_LABELS,
  GENDER_LABELS,
  REDIRECTION_LABELS,
  SOCIAL_STATUS_LABELS,
} from '../../src/activities/vocabulary.ts';
import type { Db } from '../../src/db/database.ts';
import { type CoopQueries, coopDbEnums, coopSchemaSql, loadCoopQueries } from '../support/coop-statistics.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';
import { FUNDER_ID, type TwoStructures, twoStructures } from '../support/two-structures.ts';

/**
 * Maillage's activity statistics equal La Coop's (decision 0052), figure by figure. Seeded random
 * records are written in Maillage's tables, then loaded into a Coop-shaped schema (the tables of the
 * pinned `schema.prisma` that its statistics read, one beneficiary row per anonymous participant as the
 * Coop stores them) in the same PostgreSQL database; the Coop's pinned query files run there as they are
 * (test/support/coop-statistics.ts), and each figure of each scenario is compared with the service's.
 */

const NOW = new Date('2026-12-07T12:00:00Z');
const COOP = 'coop_ref';
const RECORDS = 600;
const COMMUNES = ['45234', '45075', '45208', '18033', null] as const;

let t: TestDb;
let net: TwoStructures;
let coop: CoopQueries;

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const keys = (labels: Record<string, string>) => Object.keys(labels);

/** Splits n among values at random (each value's count), as a workshop's breakdown. */
function split(r: () => number, n: number, values: readonly string[]): Record<string, number> {
  const out = Object.fromEntries(values.map((v) => [v, 0]));
  for (let i = 0; i < n; i++) {
    const v = pick(r, values);
    out[v] = (out[v] ?? 0) + 1;
  }
  return out;
}

async function generate(db: Db): Promise<void> {
  const r = seededRandom(20_260_520);
  const authors = {
    [net.a]: [personOf(net.mediator), personOf(net.colleague)],
    [net.b]: [personOf(net.other)],
  };
  const places = { [net.a]: net.placeA, [net.b]: net.placeB };
  const people: Record<string, string[]> = { [net.a]: [], [net.b]: [] };
  for (let i = 0; i < 24; i++) {
    const structureId = i % 3 === 0 ? net.b : net.a;
    const row = await db
      .insertInto('activity_beneficiary')
      .values({
        structure_id: structureId,
        first_name: `Personne ${i}`,
        gender: pick(r, keys(GENDER_LABELS)) as 'masculin',
        age_band: pick(r, keys(AGE_BAND_LABELS)) as 'non_communique',
        social_status: pick(r, keys(SOCIAL_STATUS_LABELS)) as 'non_communique',
        commune_code: pick(r, COMMUNES),
        consent_at: NOW,
        retain_until: '2028-12-07',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    people[structureId]?.push(row.id);
  }
  const digital = keys(DIGITAL_THEME_LABELS).filter((k) => k !== 'aide_aux_demarches_administratives');
  const administrative = keys(ADMINISTRATIVE_THEME_LABELS);
  const durations = [1, 15, 29, 30, 45, 59, 60, 90, 119, 120, 180, 1439];
  for (let i = 0; i < RECORDS; i++) {
    const structureId = r() < 0.65 ? net.a : net.b;
    const kind = r() < 0.7 ? 'individuel' : 'collectif';
    const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 699) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const placeKind = pick(r, ['lieu_activite', 'lieu_activite', 'domicile', 'a_distance', 'autre'] as const);
    const themes = [...new Set([pick(r, digital), ...(r() < 0.5 ? [pick(r, digital)] : [])])];
    if (r() < 0.3) themes.push('aide_aux_demarches_administratives', pick(r, administrative));
    const equipment =
      r() < 0.2 ? [] : [...new Set([pick(r, keys(EQUIPMENT_LABELS)), pick(r, keys(EQUIPMENT_LABELS))])];
    const oriented = kind === 'individuel' ? pick(r, [true, false, null]) : null;
    const commune = placeKind === 'domicile' || placeKind === 'autre' ? (pick(r, COMMUNES) ?? '45234') : null;
    const row = await db
      .insertInto('activity')
      .values({
        structure_id: structureId,
        author_id: pick(r, authors[structureId] ?? []),
        kind,
        date: day,
        duration_minutes: pick(r, durations),
        place_kind: placeKind,
        place_id: placeKind === 'lieu_activite' ? (places[structureId] ?? null) : null,
        commune_code: commune,
        postal_code: commune === null ? null : '45000',
        themes,
        equipment,
        autonomy:
          kind === 'individuel' ? (pick(r, [...keys(AUTONOMY_LABELS), null]) as 'autonome' | null) : null,
        oriented,
        redirection: oriented ? (pick(r, keys(REDIRECTION_LABELS)) as 'autre') : null,
        beneficiary_commune_code: kind === 'individuel' ? pick(r, COMMUNES) : null,
        workshop_title: kind === 'collectif' ? 'Atelier' : null,
        workshop_level:
          kind === 'collectif' ? pick(r, ['debutant', 'intermediaire', 'avance'] as const) : null,
        voucher_entry_id: kind === 'individuel' && r() < 0.1 ? 1000 + i : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const total = kind === 'individuel' ? 1 : Math.floor(r() * 13);
    const g = split(r, total, keys(GENDER_LABELS));
    const a = split(r, total, keys(AGE_BAND_LABELS));
    const s = split(r, total, keys(SOCIAL_STATUS_LABELS));
    await db
      .insertInto('activity_participants')
      .values({
        activity_id: row.id,
        total,
        already_accompanied: Math.floor(r() * (total + 1)),
        ...Object.fromEntries(Object.entries(g).map(([k, n]) => [`gender_${k}`, n])),
        ...Object.fromEntries(Object.entries(a).map(([k, n]) => [`age_${k}`, n])),
        ...Object.fromEntries(Object.entries(s).map(([k, n]) => [`status_${k}`, n])),
      })
      .execute();
    // Identified people: at most one for an accompaniment, a few in a workshop.
    const mine = people[structureId] ?? [];
    const linked = kind === 'individuel' ? (r() < 0.35 ? 1 : 0) : Math.floor(r() * 3);
    for (const id of new Set(Array.from({ length: linked }, () => pick(r, mine))))
      await db
        .insertInto('activity_beneficiary_link')
        .values({ activity_id: row.id, beneficiary_id: id, first_time: r() < 0.3 })
        .execute();
  }
  await db.insertInto('funder').values({ id: FUNDER_ID, name: 'Département du Loiret' }).execute();
  await db
    .insertInto('funding')
    .values([{ funder_id: FUNDER_ID, structure_id: net.b, starts_on: '2025-06-01', ends_on: '2026-03-31' }])
    .execute();
}

function personOf(actor: Actor): string {
  if (actor.kind !== 'person') throw new Error('a person');
  return actor.personId;
}

/** Maillage's records, as the Coop stores them. */
async function loadCoop(db: Db): Promise<void> {
  await sql.raw(coopSchemaSql(COOP, coopDbEnums())).execute(db);
  const q = (text: string, params: unknown[] = []) => db.executeQuery(CompiledQuery.raw(text, params));
  const authors = new Set<string>();
  const activities = await db.selectFrom('activity').selectAll().execute();
  for (const a of activities) authors.add(a.author_id ?? '00000000-0000-4000-8000-0000000000ff');
  for (const id of authors) {
    await q(`insert into ${COOP}.users (id) values ($1)`, [id]);
    await q(`insert into ${COOP}.mediateurs (id, user_id) values ($1, $1)`, [id]);
  }
  for (const s of await db.selectFrom('structure').select(['id', 'nom']).execute())
    await q(`insert into ${COOP}.structures (id, nom) values ($1, $2)`, [s.id, s.nom]);
  for (const p of await db
    .selectFrom('place')
    .select(['id', 'nom', 'commune', 'code_postal', 'code_insee'])
    .execute())
    await q(
      `insert into ${COOP}.structures (id, nom, commune, code_postal, code_insee) values ($1, $2, $3, $4, $5)`,
      [p.id, p.nom, p.commune, p.code_postal, p.code_insee],
    );
  const people = await db.selectFrom('activity_beneficiary').selectAll().execute();
  const mediatorOf = new Map<string, string>();
  const links = await db.selectFrom('activity_beneficiary_link').selectAll().execute();
  const participants = new Map(
    (await db.selectFrom('activity_participants').selectAll().execute()).map((p) => [p.activity_id, p]),
  );
  for (const a of activities) {
    const mediator = a.author_id ?? '00000000-0000-4000-8000-0000000000ff';
    const mine = links.filter((l) => l.activity_id === a.id);
    for (const l of mine) if (!mediatorOf.has(l.beneficiary_id)) mediatorOf.set(l.beneficiary_id, mediator);
    const p = participants.get(a.id);
    // The Coop creates an anonymous beneficiary only when no followed one is named.
    const anonymous = a.kind === 'individuel' && mine.length > 0 ? 0 : (p?.total ?? 0);
    await q(
      `insert into ${COOP}.activites (id, type, mediateur_id, accompagnements_count, date, duree,
         structure_employeuse_id, structure_id, lieu_code_postal, lieu_code_insee, type_lieu, autonomie,
         structure_de_redirection, materiel, thematiques, oriente_vers_structure, titre_atelier, niveau)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::${COOP}.materiel[],
         $15::${COOP}.thematique[], $16, $17, $18)`,
      [
        a.id,
        a.kind,
        mediator,
        mine.length + anonymous,
        a.date,
        a.duration_minutes,
        a.structure_id,
        a.place_id,
        a.postal_code,
        a.commune_code,
        a.place_kind,
        a.autonomy,
        a.redirection,
        `{${a.equipment.join(',')}}`,
        `{${a.themes.join(',')}}`,
        a.oriented,
        a.workshop_title,
        a.workshop_level,
      ],
    );
    if (anonymous > 0 && p) {
      const expand = (prefix: string, labels: Record<string, string>) =>
        keys(labels).flatMap((k) =>
          Array((p as unknown as Record<string, number>)[`${prefix}${k}`] ?? 0).fill(k),
        );
      const genders = expand('gender_', GENDER_LABELS);
      const ages = expand('age_', AGE_BAND_LABELS);
      const statuses = expand('status_', SOCIAL_STATUS_LABELS);
      for (let i = 0; i < anonymous; i++) {
        const id = crypto.randomUUID();
        await q(
          `insert into ${COOP}.beneficiaires (id, mediateur_id, anonyme, commune_code_insee, genre, tranche_age, statut_social)
           values ($1, $2, true, $3, $4, $5, $6)`,
          [id, mediator, a.beneficiary_commune_code, genders[i], ages[i], statuses[i]],
        );
        await q(
          `insert into ${COOP}.accompagnements (id, beneficiaire_id, activite_id, premier_accompagnement) values ($1, $2, $3, $4)`,
          [crypto.randomUUID(), id, a.id, i >= p.already_accompanied],
        );
      }
    }
  }
  for (const b of people)
    await q(
      `insert into ${COOP}.beneficiaires (id, mediateur_id, anonyme, commune_code_insee, genre, tranche_age, statut_social)
       values ($1, $2, false, $3, $4, $5, $6)`,
      [b.id, mediatorOf.get(b.id) ?? [...authors][0], b.commune_code, b.gender, b.age_band, b.social_status],
    );
  for (const l of links)
    await q(
      `insert into ${COOP}.accompagnements (id, beneficiaire_id, activite_id, premier_accompagnement) values ($1, $2, $3, $4)`,
      [crypto.randomUUID(), l.beneficiary_id, l.activity_id, l.first_time],
    );
}

/** Runs the Coop's functions inside one transaction whose search path is the Coop-shaped schema. */
async function coopFigures(db: Db, filters: Record<string, unknown>, period: { from: string; to: string }) {
  return db.transaction().execute(async (tx) => {
    await sql.raw(`set local search_path to ${COOP}`).execute(tx);
    coop = await loadCoopQueries(async (text, params) => {
      const rows = (await tx.executeQuery(CompiledQuery.raw(text, params))).rows as Record<string, unknown>[];
      if (process.env.COOP_DEBUG)
        process.stderr.write(`${text}\n${JSON.stringify(params)}\n${JSON.stringify(rows).slice(0, 300)}\n`);
      return rows;
    });
    const args = { activitesFilters: filters, user: {} };
    return {
      totals: await coop.getTotalCountsStats(args),
      activites: await coop.getActivitesStats(args),
      lieux: await coop.getActivitesStructuresStats(args),
      communes: await coop.getActivitesCommunesStats(args),
      beneficiaires: await coop.getBeneficiaireStatsWithCommunes(args),
      months: await coop.getAccompagnementsCountByMonth({
        ...args,
        periodStart: period.from,
        periodEnd: period.to,
      }),
    };
  });
}

const compared: string[] = [];
function same(name: string, actual: unknown, expected: unknown): void {
  assert.deepEqual(actual, expected, `${name}: Maillage ≠ La Coop`);
  if (!compared.includes(name.replace(/^[^:]*: /, ''))) compared.push(name.replace(/^[^:]*: /, ''));
}
/** Prisma's enum keys ('ADistance') as stored values ('a_distance'), as the Coop's `snakeCase` does. */
const snake = (v: string) =>
  v
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z\d]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
    .join('_');
/** Each value's count and share, by stored value (both sides list every value of the vocabulary). */
const countsOf = (list: Share[]) =>
  Object.fromEntries(list.map((s) => [s.key, [s.count, s.proportion]]).sort());
const coopCounts = (list: { value: string; count: number; proportion: number }[]) =>
  Object.fromEntries(list.map((s) => [snake(s.value), [s.count, s.proportion]]).sort());
const asMap = (entries: [string, number][]) =>
  Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));

async function compare(label: string, view: StatisticsView, filters: Record<string, unknown>): Promise<void> {
  const f = view.figures;
  assert.deepEqual(view.errors, {}, `${label}: the query is accepted`);
  const c = await coopFigures(t.db, { du: f.from, au: f.to, ...filters }, { from: f.from, to: f.to });
  assert.ok(c.totals.activites.total > 0, `${label}: the scenario has records ${JSON.stringify(c.totals)}`);
  same(`${label}: activités`, f.activities.total, c.totals.activites.total);
  same(`${label}: activités individuelles`, f.activities.individuel, c.totals.activites.individuels.total);
  same(`${label}: activités collectives`, f.activities.collectif, c.totals.activites.collectifs.total);
  same(`${label}: accompagnements`, f.accompaniments.total, c.totals.accompagnements.total);
  same(
    `${label}: accompagnements individuels`,
    f.accompaniments.individuel,
    c.totals.accompagnements.individuels.total,
  );
  same(
    `${label}: participants des ateliers`,
    f.accompaniments.collectif,
    c.totals.activites.collectifs.participants,
  );
  same(`${label}: personnes suivies`, f.people, c.totals.beneficiaires.suivis);
  same(`${label}: participants anonymes`, f.anonymousParticipants, c.totals.beneficiaires.anonymes);
  same(
    `${label}: bénéficiaires (suivis + anonymes)`,
    f.people + f.anonymousParticipants,
    c.totals.beneficiaires.total,
  );
  same(`${label}: premiers accompagnements`, f.firstTimeAccompaniments, c.totals.beneficiaires.nouveaux);
  same(`${label}: accompagnements (statistiques d'activités)`, f.accompaniments.total, c.activites.total);
  same(`${label}: par type d'activité`, countsOf(f.byKind), coopCounts(c.activites.typeActivites));
  same(
    `${label}: par durée`,
    f.byDuration.map((s) => [s.key, s.count, s.proportion]),
    c.activites.durees.map((s: Record<string, unknown>) => [s.value, s.count, s.proportion]),
  );
  same(`${label}: par type de lieu`, countsOf(f.byPlaceKind), coopCounts(c.activites.typeLieu));
  same(`${label}: par thématique`, countsOf(f.byTheme), coopCounts(c.activites.thematiques));
  same(
    `${label}: par démarche administrative`,
    countsOf(f.byAdministrativeTheme),
    coopCounts(c.activites.thematiquesDemarches),
  );
  same(`${label}: par matériel`, countsOf(f.byEquipment), coopCounts(c.activites.materiels));
  same(
    `${label}: par lieu d'activité`,
    asMap(f.byPlace.map((s) => [s.key, s.count])),
    asMap(c.lieux.map((s) => [String(s.id), Number(s.count)])),
  );
  same(
    `${label}: par commune du lieu`,
    asMap(f.byCommune.map((s) => [s.key, s.count])),
    asMap(c.communes.map((s) => [String(s.codeInsee ?? ''), Number(s.count)])),
  );
  same(`${label}: bénéficiaires par genre`, countsOf(f.byGender), coopCounts(c.beneficiaires.genres));
  same(
    `${label}: bénéficiaires par tranche d'âge`,
    countsOf(f.byAge),
    coopCounts(c.beneficiaires.trancheAges),
  );
  same(
    `${label}: bénéficiaires par statut`,
    countsOf(f.bySocialStatus),
    coopCounts(c.beneficiaires.statutsSocial),
  );
  same(
    `${label}: bénéficiaires par commune de résidence`,
    asMap(f.byResidence.map((s) => [s.key, s.count])),
    asMap(
      c.beneficiaires.communes.map((s: Record<string, unknown>) => [
        String(s.codeInsee ?? ''),
        Number(s.count),
      ]),
    ),
  );
  // The Coop's month series starts on the period's first day: a period starting mid-month loses its last
  // month there (generate_series steps from that day), so months are compared on periods from a 1st.
  if (f.from.endsWith('-01'))
    same(
      `${label}: accompagnements par mois`,
      f.overTime.map((s) => [`${s.key.slice(5, 7)}/${s.key.slice(2, 4)}`, s.count]),
      c.months.map((m) => [m.label, m.count]),
    );
}

describe("Activity statistics equal La Coop's pinned statistics queries", () => {
  before(async () => {
    t = await createTestDb();
    net = await twoStructures(t.db);
    await generate(t.db);
    await loadCoop(t.db);
  });
  after(async () => {
    await t?.close();
  });

  it('on the whole network over two years (the coordinator)', async () => {
    const view = await networkStatistics(
      t.db,
      net.coordinator,
      { query: { du: '2025-01-01', au: '2026-11-30' } },
      { now: NOW },
    );
    await compare('réseau', view, {});
  });

  it('on days that are not whole months (the monthly sums and the records together)', async () => {
    for (const [du, au] of [
      ['2025-03-01', '2026-02-10'],
      ['2025-03-15', '2026-02-28'],
      ['2025-05-10', '2025-05-20'],
    ]) {
      const view = await networkStatistics(t.db, net.coordinator, { query: { du, au } }, { now: NOW });
      await compare(`du ${du} au ${au}`, view, {});
    }
  });

  it('on a quarter, by month', async () => {
    const view = await networkStatistics(
      t.db,
      net.coordinator,
      { query: { du: '2026-01-01', au: '2026-03-31' } },
      { now: NOW },
    );
    await compare('trimestre', view, {});
  });

  it("on a structure's records (its staff), and the coordinator's structure filter", async () => {
    const query = { du: '2025-01-01', au: '2026-11-30' };
    const view = await structureStatistics(
      t.db,
      net.mediator,
      { structureId: net.a, structureName: 'Médiathèque Sud', query },
      { now: NOW },
    );
    await compare('structure', view, { structuresEmployeuses: [net.a] });
    const filtered = await networkStatistics(
      t.db,
      net.coordinator,
      { query: { ...query, structure: net.b } },
      { now: NOW },
    );
    await compare('réseau filtré par structure', filtered, { structuresEmployeuses: [net.b] });
  });

  it('filtered by place, by theme and by kind', async () => {
    const query = { du: '2025-01-01', au: '2026-11-30' };
    const byPlace = await networkStatistics(
      t.db,
      net.coordinator,
      { query: { ...query, structure: net.b, lieu: net.placeB } },
      { now: NOW },
    );
    await compare('lieu', byPlace, { structuresEmployeuses: [net.b], lieux: [net.placeB] });
    const byTheme = await networkStatistics(
      t.db,
      net.coordinator,
      { query: { ...query, thematique: 'email' } },
      { now: NOW },
    );
    await compare('thématique', byTheme, { thematiqueNonAdministratives: ['Email'] });
    const byKind = await networkStatistics(
      t.db,
      net.coordinator,
      { query: { ...query, type: 'collectif' } },
      { now: NOW },
    );
    await compare('type', byKind, { types: ['collectif'] });
  });

  it("for a funder: the funded structure's records on the funding's days only", async () => {
    const view = await funderStatistics(
      t.db,
      net.funder,
      { funderId: FUNDER_ID, query: { du: '2025-01-01', au: '2026-11-30' } },
      { now: NOW },
    );
    // The funding runs from 2025-06-01 to 2026-03-31: the Coop's filters say the same with dates.
    const coopView = await networkStatistics(
      t.db,
      net.coordinator,
      { query: { du: '2025-06-01', au: '2026-03-31', structure: net.b } },
      { now: NOW },
    );
    const { overTime: _a, ...funder } = view.figures;
    const { overTime: _b, ...same2 } = coopView.figures;
    assert.deepEqual({ ...funder, from: '', to: '' }, { ...same2, from: '', to: '' });
    await compare('financeur (période du financement)', coopView, { structuresEmployeuses: [net.b] });
    process.stdout.write(`# figures compared (${compared.length}): ${compared.join(' · ')}\n`);
  });
  it('keeps the monthly sums exact through updates, deletes and links (migrations 0036, 0042, 0046)', async () => {
    const r = seededRandom(7);
    const ids = (await t.db.selectFrom('activity').select(['id', 'kind']).orderBy('id').execute()).slice(
      0,
      80,
    );
    for (const [i, a] of ids.entries()) {
      if (i % 4 === 0) await t.db.deleteFrom('activity').where('id', '=', a.id).execute();
      else if (i % 4 === 1)
        await t.db
          .updateTable('activity')
          .set({
            duration_minutes: pick(r, [10, 45, 200]),
            themes: ['email'],
            structure_id: net.b,
            place_id: null,
            place_kind: 'a_distance',
          })
          .where('id', '=', a.id)
          .execute();
      else if (i % 4 === 2)
        await t.db.deleteFrom('activity_beneficiary_link').where('activity_id', '=', a.id).execute();
      else if (a.kind === 'collectif')
        await t.db
          .updateTable('activity_participants')
          .set({
            total: 3,
            already_accompanied: 1,
            gender_masculin: 3,
            gender_feminin: 0,
            gender_non_communique: 0,
            age_moins_de_douze: 0,
            age_douze_dix_huit: 0,
            age_dix_huit_vingt_quatre: 0,
            age_vingt_cinq_trente_neuf: 0,
            age_quarante_cinquante_neuf: 0,
            age_soixante_soixante_neuf: 0,
            age_soixante_dix_plus: 0,
            age_non_communique: 3,
            status_scolarise: 0,
            status_sans_emploi: 0,
            status_en_emploi: 0,
            status_retraite: 0,
            status_non_communique: 3,
          })
          .where('activity_id', '=', a.id)
          .execute();
    }
    const kept = await sql<{ row: string }>`
      select concat_ws('|', structure_id, month, kind, place_key, dim, key, records, accompaniments) as row
      from activity_stats_month order by 1`.execute(t.db);
    const recomputed = await sql<{ row: string }>`
      select concat_ws('|', structure_id, month, kind, place_key, dim, key, records, accompaniments) as row from (
        select r.structure_id, r.month, r.kind, r.place_key, r.dim, r.key, sum(r.records)::int as records,
          sum(r.accompaniments)::int as accompaniments
        from activity a cross join lateral activity_stats_rows(a.id) r group by 1, 2, 3, 4, 5, 6
      ) x where records <> 0 or accompaniments <> 0 order by 1`.execute(t.db);
    assert.ok(kept.rows.length > 100);
    assert.deepEqual(kept.rows, recomputed.rows);
    // The coarser sums of migrations 0042 and 0046, kept by the same triggers, equal those their
    // backfills rebuild from the records.
    const coarser = async () => {
      const r = await sql<{ row: string }>`
        select concat_ws('|', 's', structure_id, month, kind, dim, key, records, accompaniments) as row
        from activity_stats_structure_month
        union all select concat_ws('|', 'n', month, kind, dim, key, records, accompaniments)
        from activity_stats_network_month
        union all select concat_ws('|', 'd', day, kind, dim, key, records, accompaniments)
        from activity_stats_network_day
        union all select concat_ws('|', 'sd', structure_id, day, kind, dim, key, records, accompaniments)
        from activity_stats_structure_day
        union all select concat_ws('|', 'p', day, structure_id, kind, place_key, beneficiary_id, links)
        from activity_stats_people_day
        order by 1`.execute(t.db);
      return r.rows.map((x) => x.row);
    };
    const keptCoarser = await coarser();
    for (const kind of ['p|', 'd|', 'sd|'])
      assert.ok(
        keptCoarser.some((r) => r.startsWith(kind)),
        `rows ${kind} kept`,
      );
    for (const file of [
      '0042_activity_statistics_coarser.sql',
      '0046_activity_statistics_structure_day.sql',
    ]) {
      const migration = fs.readFileSync(
        path.join(import.meta.dirname, '../../src/db/migrations', file),
        'utf8',
      );
      await sql.raw(migration.slice(migration.indexOf('-- The records already there'))).execute(t.db);
    }
    assert.deepEqual(keptCoarser, await coarser());
    // A structure removed takes its records by cascade, and their sums with them.
    await t.db.deleteFrom('structure').where('id', '=', net.b).execute();
    const left = await sql<{ n: number }>`
      select count(*)::int as n from activity_stats_month where structure_id = ${net.b}::uuid`.execute(t.db);
    assert.equal(left.rows[0]?.n, 0);
    const leftCoarser = await sql<{ n: number }>`
      select ((select count(*) from activity_stats_structure_month where structure_id = ${net.b}::uuid)
        + (select count(*) from activity_stats_people_day where structure_id = ${net.b}::uuid)
        + (select count(*) from activity_stats_structure_day where structure_id = ${net.b}::uuid)
        + (select count(*) from activity_stats_network_month where dim = 'structure' and key = ${net.b})
        + (select count(*) from activity_stats_network_day where dim = 'structure' and key = ${net.b}))::int as n`.execute(
      t.db,
    );
    assert.equal(leftCoarser.rows[0]?.n, 0);
    const pending = await sql<{ n: number }>`select count(*)::int as n from activity_stats_pending`.execute(
      t.db,
    );
    assert.equal(pending.rows[0]?.n, 0);
  });
});
