import { inviteToFunder } from '../accounts/accounts.service.ts';
import { type Actor, actorId, actorLabel, authorize, can } from '../accounts/policy.ts';
import type { AccountsOptions } from '../accounts/sessions.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { analyseTerritoryCoverage } from '../coverage/coverage.service.ts';
import { DEFAULT_THRESHOLD } from '../coverage/reach.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import { getPlace } from '../places/places.service.ts';
import { orientationCountsBetween } from '../referrals/aggregates.service.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import { emailKey, parseEmail } from '../shared/email.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { isUuid } from '../shared/ids.ts';
import { formatTerritory, type Territory } from '../shared/territory.ts';
import { cleanLine } from '../shared/text.ts';
import { usageBetween } from '../usage/usage.service.ts';
import {
  addMember,
  countFunders,
  deleteDemoFunders,
  deleteMember,
  type FunderRow,
  type FundingWithNameRow,
  findDemoFunder,
  findFunder,
  findFunderBySiren,
  findFunding,
  insertFunder,
  insertFunding,
  isFunderMember,
  listFunderMembers,
  listFunderSummaries,
  listFundingsOf,
  listFundingsOfPair,
  listStructureChoices,
  lockStructureName,
  setFundingEnd,
  updateFunderRow,
} from './funders.repository.ts';
import {
  checkFunder,
  checkFundingDates,
  checkPeriod,
  type FieldErrors,
  type FunderFiguresData,
  type FunderValues,
  figuresCsv,
  fundedOn,
  MESSAGES,
  periodsOverlap,
  periodText,
} from './funders.ts';

/**
 * Funder organisations (decision 0024): the coordinator creates a funder, invites its people and
 * records which structures it funds from when to when; the people of a funder see its page — the
 * structures it funds and the network's aggregate figures, never personal data — and export the
 * figures as CSV. Every entry point calls `authorize` first; every change leaves an audit entry.
 */

export type FormResult<T> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

export interface FunderSummary {
  id: string;
  name: string;
  siren: string | null;
  members: number;
  fundedNow: number;
}

export interface Funder {
  id: string;
  name: string;
  siren: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}

export interface Funding {
  id: string;
  structureId: string;
  structureName: string;
  startsOn: string;
  endsOn: string | null;
  /** Running today. */
  current: boolean;
}

export interface FunderView {
  funder: Funder;
  /** The period asked (as typed, for the form) and its refusals; the figures then cover the default one. */
  period: { from: string; to: string; errors: FieldErrors };
  fundings: Funding[];
  /** The coordinator's part (members, structures to choose from); null for the funder's own people. */
  management: {
    members: { personId: string; name: string; email: string; since: Date }[];
    structures: { id: string; name: string }[];
  } | null;
  figures: FunderFiguresData;
}

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
const todayOf = (opts: { now?: Date }) => localToday(nowOf(opts));

const toFunder = (row: FunderRow): Funder => ({
  id: row.id,
  name: row.name,
  siren: row.siren,
  contactEmail: row.contact_email,
  contactPhone: row.contact_phone,
});

const toFunding = (row: FundingWithNameRow, today: string): Funding => ({
  id: row.id,
  structureId: row.structure_id,
  structureName: row.structure_name,
  startsOn: row.starts_on,
  endsOn: row.ends_on,
  current: fundedOn({ startsOn: row.starts_on, endsOn: row.ends_on }, today),
});

/** The funder of an id typed in an address: unknown or malformed ids are the same "not found". */
async function funderOrThrow(db: Db, funderId: string): Promise<FunderRow> {
  const row = isUuid(funderId) ? await findFunder(db, funderId.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.unknownFunder, { funderId });
  return row;
}

const scopeOf = (funderId: string) => ({ funderId: isUuid(funderId) ? funderId.toLowerCase() : funderId });

// Lists

/** Every funder of the network with its number of people and of structures funded today, by name. */
export async function listFunders(db: Db, actor: Actor, opts: { now?: Date } = {}): Promise<FunderSummary[]> {
  authorize(actor, 'listFunders');
  return (await listFunderSummaries(db, todayOf(opts))).map((r) => ({
    id: r.id,
    name: r.name,
    siren: r.siren,
    members: r.members,
    fundedNow: r.funded_now,
  }));
}

/** The funders the signed-in person belongs to (none for most people), by name. */
export async function listMyFunders(db: Db, actor: Actor): Promise<{ id: string; name: string }[]> {
  authorize(actor, 'listMyFunders');
  if (actor.kind !== 'person') return [];
  const rows = await Promise.all((actor.funderIds ?? []).map((id) => findFunder(db, id)));
  return rows
    .filter((r): r is FunderRow => r !== undefined)
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

// The coordinator's forms

/** A funder's name, SIREN and contact, for the coordinator's edit form. */
export async function getFunder(db: Db, actor: Actor, input: { funderId: string }): Promise<Funder> {
  authorize(actor, 'getFunder');
  return toFunder(await funderOrThrow(db, input.funderId));
}

/**
 * Creates a funder: a name, and optionally its SIREN (checked: 9 digits, Luhn; never two funders with
 * one), a contact address and phone. Bad input writes nothing and names the field.
 */
export async function createFunder(
  db: Db,
  actor: Actor,
  input: FunderValues,
  opts: { now?: Date } = {},
): Promise<FormResult<{ funderId: string }>> {
  authorize(actor, 'createFunder');
  const checked = checkFunder(input);
  if (!checked.ok) return checked;
  const f = checked.fields;
  return db.transaction().execute(async (tx) => {
    const same = f.siren ? await findFunderBySiren(tx, f.siren) : undefined;
    if (same) return { ok: false, errors: { siren: MESSAGES.sirenTaken(same.name) } } as const;
    const funderId = await insertFunder(tx, {
      name: f.name,
      siren: f.siren,
      contact_email: f.contactEmail,
      contact_phone: f.contactPhone,
    });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'funder.created',
      subjectType: 'funder',
      subjectId: funderId,
      at: nowOf(opts),
    });
    return { ok: true, funderId } as const;
  });
}

/** Changes a funder's name, SIREN and contact, with the same checks as its creation. */
export async function updateFunder(
  db: Db,
  actor: Actor,
  input: FunderValues & { funderId: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ funderId: string }>> {
  authorize(actor, 'updateFunder');
  const funder = await funderOrThrow(db, input.funderId);
  const checked = checkFunder(input);
  if (!checked.ok) return checked;
  const f = checked.fields;
  return db.transaction().execute(async (tx) => {
    const same = f.siren ? await findFunderBySiren(tx, f.siren) : undefined;
    if (same && same.id !== funder.id)
      return { ok: false, errors: { siren: MESSAGES.sirenTaken(same.name) } } as const;
    await updateFunderRow(tx, funder.id, {
      name: f.name,
      siren: f.siren,
      contact_email: f.contactEmail,
      contact_phone: f.contactPhone,
    });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'funder.updated',
      subjectType: 'funder',
      subjectId: funder.id,
      at: nowOf(opts),
    });
    return { ok: true, funderId: funder.id } as const;
  });
}

/**
 * Invites a person to a funder by e-mail: a single-use link, valid 7 days, attaches their account (a
 * new one, or the one they have) once they accept. Someone already attached is told so.
 */
export async function inviteFunderMember(
  db: Db,
  actor: Actor,
  input: { funderId: string; email: string },
  opts: AccountsOptions,
): Promise<FormResult<{ personId: string }>> {
  authorize(actor, 'inviteFunderMember');
  const funder = await funderOrThrow(db, input.funderId);
  const typed = cleanLine(input.email);
  if (typed === '') return { ok: false, errors: { email: MESSAGES.inviteEmailRequired } };
  const email = typed.length <= 254 ? parseEmail(typed) : null;
  if (email === null)
    return { ok: false, errors: { email: MESSAGES.inviteEmailInvalid(typed.slice(0, 80)) } };
  if (await isFunderMember(db, funder.id, emailKey(email)))
    return { ok: false, errors: { email: MESSAGES.alreadyMember } };
  const { personId } = await inviteToFunder(
    db,
    actor,
    { email, funderId: funder.id, funderName: funder.name },
    opts,
  );
  return { ok: true, personId };
}

/** Detaches a person from a funder: they no longer see its page (their account stays). */
export async function removeFunderMember(
  db: Db,
  actor: Actor,
  input: { funderId: string; personId: string },
  opts: { now?: Date } = {},
): Promise<void> {
  authorize(actor, 'removeFunderMember');
  const funder = await funderOrThrow(db, input.funderId);
  if (!isUuid(input.personId)) throw new DomainError('not_found', MESSAGES.notMember);
  await db.transaction().execute(async (tx) => {
    if (!(await deleteMember(tx, funder.id, input.personId.toLowerCase())))
      throw new DomainError('not_found', MESSAGES.notMember);
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'funder_member.removed',
      subjectType: 'person',
      subjectId: input.personId.toLowerCase(),
      details: { funderId: funder.id },
      at: nowOf(opts),
    });
  });
}

/**
 * Records that a funder funds a structure from a day, to an optional day (on or after the start). The
 * structure must exist, and the same funder may not fund the same structure twice on one day. Bad input
 * writes nothing and names the field.
 */
export async function recordFunding(
  db: Db,
  actor: Actor,
  input: { funderId: string; structureId: string; startsOn: string; endsOn: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ fundingId: string }>> {
  authorize(actor, 'recordFunding');
  const funder = await funderOrThrow(db, input.funderId);
  const errors: FieldErrors = {};
  const structureTyped = cleanLine(input.structureId);
  if (structureTyped === '') errors.structureId = MESSAGES.structureRequired;
  else if (!isUuid(structureTyped)) errors.structureId = MESSAGES.unknownStructure;
  const dates = checkFundingDates(input);
  if (!dates.ok) Object.assign(errors, dates.errors);
  if (Object.keys(errors).length > 0 || !dates.ok) return { ok: false, errors };
  const structureId = structureTyped.toLowerCase();
  return db.transaction().execute(async (tx) => {
    const structureName = await lockStructureName(tx, structureId);
    if (structureName === undefined)
      return { ok: false, errors: { structureId: MESSAGES.unknownStructure } } as const;
    const period = { startsOn: dates.startsOn, endsOn: dates.endsOn };
    const clash = (await listFundingsOfPair(tx, funder.id, structureId)).find((f) =>
      periodsOverlap(period, { startsOn: f.starts_on, endsOn: f.ends_on }),
    );
    if (clash)
      return {
        ok: false,
        errors: {
          startsOn: MESSAGES.overlap(
            structureName,
            periodText({ startsOn: clash.starts_on, endsOn: clash.ends_on }),
          ),
        },
      } as const;
    const fundingId = await insertFunding(tx, {
      funder_id: funder.id,
      structure_id: structureId,
      starts_on: dates.startsOn,
      ends_on: dates.endsOn,
    });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'funding.recorded',
      subjectType: 'funder',
      subjectId: funder.id,
      details: { structureId, startsOn: dates.startsOn, endsOn: dates.endsOn },
      at: nowOf(opts),
    });
    return { ok: true, fundingId } as const;
  });
}

/**
 * Ends a funding on a day (or moves its end): on or after its start, and without running into a later
 * funding of the same structure by the same funder.
 */
export async function endFunding(
  db: Db,
  actor: Actor,
  input: { funderId: string; fundingId: string; endsOn: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ fundingId: string }>> {
  authorize(actor, 'endFunding');
  const funder = await funderOrThrow(db, input.funderId);
  const funding = isUuid(input.fundingId) ? await findFunding(db, input.fundingId.toLowerCase()) : undefined;
  if (!funding || funding.funder_id !== funder.id)
    throw new DomainError('not_found', MESSAGES.unknownFunding, { fundingId: input.fundingId });
  if (cleanLine(input.endsOn) === '') return { ok: false, errors: { endsOn: MESSAGES.endRequired } };
  const dates = checkFundingDates({ startsOn: funding.starts_on, endsOn: input.endsOn });
  if (!dates.ok) return dates;
  const endsOn = dates.endsOn as string;
  return db.transaction().execute(async (tx) => {
    const clash = (await listFundingsOfPair(tx, funder.id, funding.structure_id)).find(
      (f) =>
        f.id !== funding.id &&
        periodsOverlap({ startsOn: funding.starts_on, endsOn }, { startsOn: f.starts_on, endsOn: f.ends_on }),
    );
    if (clash)
      return {
        ok: false,
        errors: {
          endsOn: MESSAGES.overlap(
            funding.structure_name,
            periodText({ startsOn: clash.starts_on, endsOn: clash.ends_on }),
          ),
        },
      } as const;
    await setFundingEnd(tx, funding.id, endsOn);
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'funding.ended',
      subjectType: 'funder',
      subjectId: funder.id,
      details: { structureId: funding.structure_id, endsOn },
      at: nowOf(opts),
    });
    return { ok: true, fundingId: funding.id } as const;
  });
}

// The funder's page and figures

/**
 * Searches of the public directory between two days, from the usage counters (src/usage/: counted in
 * memory without personal data, written once a minute). Days before the counters existed count zero.
 */
async function countSearches(db: Db, from: string, to: string): Promise<number> {
  return (await usageBetween(db, { from, to })).counts.search;
}

/** Orientations by commune of the receiving place (a place deleted since counts as "lieu supprimé"). */
async function byCommune(
  db: Db,
  actor: Actor,
  byPlace: readonly { placeId: string | null; n: number }[],
): Promise<{ label: string; n: number }[]> {
  const communes = new Map<string, number>();
  for (const { placeId, n } of byPlace) {
    let label = 'Lieu supprimé depuis';
    if (placeId) {
      try {
        const place = await getPlace(db, actor, { placeId });
        label = place.commune || 'Commune non précisée';
      } catch (error) {
        if (!isDomainError(error) || error.code !== 'not_found') throw error;
      }
    }
    communes.set(label, (communes.get(label) ?? 0) + n);
  }
  return [...communes]
    .map(([label, n]) => ({ label, n }))
    .sort((a, b) => b.n - a.n || a.label.localeCompare(b.label, 'fr'));
}

async function figuresOf(
  db: Db,
  actor: Actor,
  territory: Territory,
  period: { from: string; to: string },
): Promise<FunderFiguresData> {
  const { from, to } = period;
  let coverage: FunderFiguresData['coverage'] = null;
  try {
    const result = await analyseTerritoryCoverage(db, actor, {
      territory,
      service: null,
      threshold: DEFAULT_THRESHOLD,
      suggest: 0,
      itinerant: 0,
    });
    coverage = {
      territory: result.label || formatTerritory(territory),
      radiusKm: result.analysis.radiusKm,
      places: result.analysis.placesCount,
      population: result.analysis.populationTotal,
      populationBeyond: result.analysis.populationBeyond,
    };
  } catch (error) {
    // An empty directory (or one without positions) has no coverage to show: the page says so.
    if (!isDomainError(error) || error.code !== 'not_found') throw error;
  }
  const counts = await orientationCountsBetween(db, from, to);
  return {
    from,
    to,
    coverage,
    orientations: {
      total: counts.total,
      byNeed: counts.byNeed,
      byCommune: await byCommune(db, actor, counts.byPlace),
    },
    searches: await countSearches(db, from, to),
  };
}

/**
 * A funder's page: its organisation, the structures it funds with their dates, and the network's
 * aggregate figures over the chosen days, by default the last 12 months (coverage of the territory,
 * orientations by need and by commune, searches of places). A period refused (not a date, an end before
 * its start, over ten years) comes back with its message, and the figures of the default period. Its own people and coordinators only; coordinators also get its
 * members and the structures to choose from.
 */
export async function viewFunder(
  db: Db,
  actor: Actor,
  input: { funderId: string; territory: Territory; from?: string | undefined; to?: string | undefined },
  opts: { now?: Date } = {},
): Promise<FunderView> {
  authorize(actor, 'viewFunder', scopeOf(input.funderId));
  const funder = await funderOrThrow(db, input.funderId);
  const today = todayOf(opts);
  const asked = checkPeriod(input, today);
  const period = asked.ok ? asked : (checkPeriod({}, today) as { ok: true; from: string; to: string });
  const fundings = (await listFundingsOf(db, funder.id)).map((r) => toFunding(r, today));
  const management = can(actor, 'updateFunder')
    ? {
        members: (await listFunderMembers(db, funder.id)).map((m) => ({
          personId: m.person_id,
          name: m.display_name,
          email: m.email,
          since: m.created_at,
        })),
        structures: (await listStructureChoices(db)).map((s) => ({ id: s.id, name: s.nom })),
      }
    : null;
  return {
    funder: toFunder(funder),
    period: { from: input.from ?? '', to: input.to ?? '', errors: asked.ok ? {} : asked.errors },
    fundings,
    management,
    figures: await figuresOf(db, actor, input.territory, period),
  };
}

/**
 * What a funder funds, for the activity statistics (decision 0052): its name and, for each funding, the
 * structure and its days (the last one open while the funding runs). Called by a service that has
 * already authorised its caller for this funder (`funderStatistics`); an unknown funder is `not_found`.
 */
export async function fundedPeriods(
  db: Db,
  funderId: string,
): Promise<{
  name: string;
  fundings: { structureId: string; structureName: string; from: string; to: string | null }[];
}> {
  const funder = await funderOrThrow(db, funderId);
  const fundings = await listFundingsOf(db, funder.id);
  return {
    name: funder.name,
    fundings: fundings.map((f) => ({
      structureId: f.structure_id,
      structureName: f.structure_name,
      from: f.starts_on,
      to: f.ends_on,
    })),
  };
}

/** A funder's figures over the chosen days as CSV (aggregates only), with the file's name. */
export async function funderFigures(
  db: Db,
  actor: Actor,
  input: { funderId: string; territory: Territory; from?: string | undefined; to?: string | undefined },
  opts: { now?: Date } = {},
): Promise<{ fileName: string; csv: string }> {
  authorize(actor, 'funderFigures', scopeOf(input.funderId));
  const funder = await funderOrThrow(db, input.funderId);
  const period = checkPeriod(input, todayOf(opts));
  if (!period.ok) {
    const [field, message] = Object.entries(period.errors)[0] ?? ['du', ''];
    throw new DomainError('invalid_input', message, { field });
  }
  const figures = await figuresOf(db, actor, input.territory, period);
  return {
    fileName: `chiffres-financeur-${figures.from}-${figures.to}.csv`,
    csv: figuresCsv(funder.name, figures),
  };
}

// Home page

/**
 * The home page's blocks of this domain: for each funder the person belongs to, the structures it
 * funds today (a count and a link to its page, never personal data); for a coordinator, the funders of
 * the network.
 */
export async function homeBlocks(db: Db, actor: Actor, now = new Date()): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const today = localToday(now);
  const blocks: HomeBlock[] = [];
  for (const funderId of actor.funderIds ?? []) {
    const funder = await findFunder(db, funderId);
    if (!funder) continue;
    const current = (await listFundingsOf(db, funder.id)).filter((f) =>
      fundedOn({ startsOn: f.starts_on, endsOn: f.ends_on }, today),
    );
    const names = [...new Set(current.map((f) => f.structure_name))];
    blocks.push({
      id: 'funders.funded_now',
      audience: 'funder',
      kind: 'figures',
      title: `Structures financées par ${funder.name}`,
      count: names.length,
      summary:
        names.length === 0
          ? "Aucune structure n'est financée aujourd'hui."
          : names.length === 1
            ? '1 structure est financée aujourd’hui.'
            : `${names.length} structures sont financées aujourd’hui.`,
      href: `/financeurs/${funder.id}`,
      linkLabel: 'Voir les chiffres et les exporter',
      items: current.slice(0, 5).map((f) => ({
        label: f.structure_name,
        detail: periodText({ startsOn: f.starts_on, endsOn: f.ends_on }),
      })),
    });
  }
  if (actor.networkRole === 'coordinator') {
    const n = await countFunders(db);
    blocks.push({
      id: 'funders.list',
      audience: 'coordinator',
      kind: 'figures',
      title: 'Financeurs',
      count: n,
      summary:
        n === 0
          ? 'Aucun financeur enregistré.'
          : n === 1
            ? '1 financeur est enregistré.'
            : `${n} financeurs sont enregistrés.`,
      href: '/financeurs',
      linkLabel: 'Voir les financeurs',
    });
  }
  return blocks;
}

// Demonstration data

/**
 * The demonstration funder: one organisation, the given accounts attached, funding the given
 * structures (the first since January of last year, without an end; the second for this calendar year). Seeded once
 * with the demonstration data; `removeDemoFunders` deletes it.
 */
export async function seedDemoFunder(
  db: Db,
  input: { personIds: readonly string[]; structureIds: readonly string[] },
  opts: { now?: Date } = {},
): Promise<string> {
  const existing = await findDemoFunder(db);
  if (existing) return existing.id;
  const today = todayOf(opts);
  const year = Number(today.slice(0, 4));
  const funderId = await insertFunder(db, {
    name: 'Département (démonstration)',
    siren: '999999998',
    contact_email: 'financeur.demo@example.org',
    contact_phone: '+33238000000',
    is_demo: true,
  });
  for (const personId of input.personIds) await addMember(db, funderId, personId);
  const [first, second] = input.structureIds;
  if (first)
    await insertFunding(db, {
      funder_id: funderId,
      structure_id: first,
      starts_on: `${year - 1}-01-01`,
      ends_on: null,
    });
  if (second)
    await insertFunding(db, {
      funder_id: funderId,
      structure_id: second,
      starts_on: `${year}-01-01`,
      ends_on: `${year}-12-31`,
    });
  return funderId;
}

/** Deletes the demonstration funders (with their members and fundings). */
export async function removeDemoFunders(db: Db): Promise<number> {
  return deleteDemoFunders(db);
}
