import { checkNewAccount, createVolunteerAccount, hashNewPassword } from '../accounts/accounts.service.ts';
import { type Actor, authorize, can } from '../accounts/policy.ts';
import type { AccountsOptions, SignInResult } from '../accounts/sessions.service.ts';
import { searchCommunes } from '../communes/commune-search.ts';
import type { Limits } from '../config.ts';
import type { Db } from '../db/database.ts';
import { withinLimit } from '../limits/limits.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { isUuid } from '../shared/ids.ts';
import { structureNames } from '../structures/structures.service.ts';
import {
  answerMatch,
  matchWithStructure,
  type Proposal,
  rankMissionsFor,
  toCard,
  toProposal,
  type VolunteerCard,
} from './matching.service.ts';
import { inTransaction, type Mission, releaseInLock, toMissions } from './missions.service.ts';
import {
  findMatchOf,
  findMission,
  findVolunteer,
  insertMatch,
  insertVolunteer,
  listMatches,
  listMissionsIn,
  listVolunteerRows,
  markVolunteerValidated,
} from './volunteers.repository.ts';
import {
  CHARTER_VERSION,
  checkVolunteerFields,
  type Issue,
  MESSAGES,
  type SignUpForm,
  splitCommunes,
} from './volunteers.ts';

/**
 * Volunteers (decision 0044): a person signs up alone (an account with the role `volunteer`, the
 * network's charter accepted, its version and date recorded), the coordinator validates them, then they
 * ask to join missions ranked for them and answer the structures' proposals. Their personal data (name,
 * contact, availability, communes) is seen by the coordinator and by the structures with a proposal
 * involving them; deleting the account deletes it all (foreign keys on delete cascade).
 */

const ACCOUNT_FIELDS = {
  displayName: { field: 'nom', label: 'Nom' },
  email: { field: 'email', label: 'Adresse e-mail' },
  password: { field: 'mot-de-passe', label: 'Mot de passe' },
  confirmation: { field: 'confirmation', label: 'Confirmation du mot de passe' },
} as const;

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The communes typed, each resolved to one commune of the network's territory, or an issue naming it. */
function resolveCommunes(text: string, territory: ReadonlySet<string>): { codes: string[]; issues: Issue[] } {
  const parts = splitCommunes(text);
  const issues: Issue[] = [];
  const codes: string[] = [];
  if (parts.length === 0)
    issues.push({
      field: 'communes',
      message: 'Communes : indiquez au moins une commune où vous pouvez aller, par exemple la vôtre.',
    });
  if (parts.length > 10)
    issues.push({ field: 'communes', message: 'Communes : indiquez 10 communes au plus.' });
  for (const part of parts.slice(0, 10)) {
    const found = searchCommunes(part, territory, 5);
    const exact = found.exact;
    if (exact && territory.has(exact.code)) {
      if (!codes.includes(exact.code)) codes.push(exact.code);
      continue;
    }
    const local = found.candidates.filter((c) => territory.has(c.code));
    const shown = part.slice(0, 60);
    issues.push({
      field: 'communes',
      message: exact
        ? `Communes : « ${shown} » (${exact.nom}) n’est pas une commune du territoire du réseau.`
        : local.length > 0
          ? `Communes : « ${shown} » — quelle commune ? ${local.map((c) => `${c.nom} (${c.codesPostaux[0] ?? c.code})`).join(', ')}. Écrivez son nom complet ou son code postal.`
          : `Communes : « ${shown} » n’est pas une commune du territoire du réseau. Vérifiez l’orthographe.`,
    });
  }
  return { codes, issues };
}

export type SignUpResult =
  | { ok: true; session: SignInResult & { ok: true } }
  | { ok: false; issues: Issue[] /** Refused by the per-address limit (429). */; limited?: true };

/**
 * Signs a person up as a volunteer: the account (name, address not yet used, password), at least one
 * half-day of availability, 1 to 10 communes of the network's territory, skills of the list and the
 * charter accepted. Every problem is returned at once, naming its field; nothing is written unless all
 * is right, and the account and the profile are written in one transaction (a second sign-up with the
 * same address, even at the same moment, is refused). The volunteer is signed in, and waits for the
 * coordinator's validation before joining a mission.
 */
export async function signUpVolunteer(
  db: Db,
  actor: Actor,
  form: SignUpForm,
  opts: AccountsOptions & {
    territory: ReadonlySet<string>;
    /** The client's address and the limits: at most `registrationsPerAddressPerHour` sign-ups an hour. */
    client?: string;
    limits?: Limits;
  },
): Promise<SignUpResult> {
  authorize(actor, 'signUpVolunteer');
  const account = await checkNewAccount(db, {
    email: form.email,
    displayName: form.displayName,
    password: form.password,
    confirmation: form.confirmation,
  });
  const issues: Issue[] = [];
  for (const [key, message] of Object.entries(account.errors) as [keyof typeof ACCOUNT_FIELDS, string][])
    issues.push({
      field: ACCOUNT_FIELDS[key].field,
      message: `${ACCOUNT_FIELDS[key].label} : ${lowerFirst(message)}`,
    });
  const fields = checkVolunteerFields(form);
  if (!fields.ok) issues.push(...fields.issues);
  const communes = resolveCommunes(form.communes, opts.territory);
  issues.push(...communes.issues);
  if (issues.length > 0 || !fields.ok) return { ok: false, issues };
  const now = opts.now ?? new Date();
  // Each sign-up makes an account: counted per client address, as the agenda's registrations are.
  if (opts.client !== undefined && opts.limits) {
    const max = opts.limits.registrationsPerAddressPerHour;
    if (!(await withinLimit(db, `volunteer:client:${opts.client}`, { minutes: 60, now, max })))
      return {
        ok: false,
        limited: true,
        issues: [{ field: 'email', message: MESSAGES.tooManySignUps(max) }],
      };
  }
  const passwordHash = await hashNewPassword(form.password, opts);
  try {
    const session = await inTransaction(db, async (tx) => {
      const opened = await createVolunteerAccount(
        tx,
        { email: account.email, displayName: form.displayName, passwordHash },
        opts,
      );
      await insertVolunteer(tx, {
        person_id: opened.personId,
        phone: fields.value.phone,
        skills: fields.value.skills,
        availability: fields.value.availability,
        communes: communes.codes,
        charter_version: CHARTER_VERSION,
        charter_accepted_at: now,
        created_at: now,
      });
      return opened;
    });
    return { ok: true, session };
  } catch (error) {
    // The same address signed up at the same moment: the address's unique key refused the second.
    if ((error as { code?: unknown }).code !== '23505') throw error;
    return {
      ok: false,
      issues: [{ field: 'email', message: MESSAGES.emailTaken(account.email) }],
    };
  }
}

/** Every volunteer, those to validate first: the coordinator's list (personal data). */
export async function listVolunteers(
  db: Db,
  actor: Actor,
): Promise<{ pending: VolunteerCard[]; validated: VolunteerCard[] }> {
  authorize(actor, 'listVolunteers');
  const rows = await listVolunteerRows(db);
  const cards = [];
  for (const row of rows) cards.push(await toCard(db, row));
  return {
    pending: cards.filter((c) => c.state === 'pending'),
    validated: cards.filter((c) => c.state === 'validated'),
  };
}

/** The coordinator validates a volunteer: they may then join missions and receive proposals. */
export async function validateVolunteer(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<void> {
  authorize(actor, 'validateVolunteer');
  const key = input.id.trim().toLowerCase();
  const row = isUuid(key) ? await findVolunteer(db, key) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.notFoundVolunteer, { id: input.id });
  if ((await markVolunteerValidated(db, row.person_id, opts.now ?? new Date())) === 0)
    throw new DomainError('conflict', 'Ce bénévole est déjà validé.', { id: row.person_id });
}

/** A proposal with its mission, for the volunteer's page. */
export type MyProposal = Proposal & { mission: Mission };

/**
 * The volunteer's own page: their profile, their proposals (to answer, accepted, in line, ended) and
 * the open missions without a proposal, ranked for them (distance, skills, half-days).
 */
export async function myVolunteering(
  db: Db,
  actor: Actor,
): Promise<{
  profile: VolunteerCard;
  proposals: MyProposal[];
  suggestions: Awaited<ReturnType<typeof rankMissionsFor>>;
}> {
  authorize(actor, 'myVolunteering');
  const row = actor.kind === 'person' ? await findVolunteer(db, actor.personId) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.notFoundVolunteer, {});
  const matches = await listMatches(db, { volunteerId: row.person_id });
  const missionRows = [];
  for (const id of new Set(matches.map((m) => m.mission_id))) {
    const mission = await findMission(db, id);
    if (mission) missionRows.push(mission);
  }
  const missions = new Map((await toMissions(db, missionRows)).map((m) => [m.id, m]));
  const proposals = matches
    .map((m) => ({ ...toProposal(m), mission: missions.get(m.mission_id) }))
    .filter((p): p is MyProposal => p.mission !== undefined);
  const involved = new Set(matches.map((m) => m.mission_id));
  const open = (await toMissions(db, await listMissionsIn(db, { states: ['validated', 'full'] }))).filter(
    (m) => !involved.has(m.id),
  );
  return { profile: await toCard(db, row), proposals, suggestions: await rankMissionsFor(db, row, open) };
}

/** The volunteer's validated profile, or a French refusal while the coordinator has not validated it. */
async function myValidatedProfile(db: Db, actor: Actor) {
  const row = actor.kind === 'person' ? await findVolunteer(db, actor.personId) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.notFoundVolunteer, {});
  if (row.state !== 'validated')
    throw new DomainError(
      'conflict',
      'Votre inscription attend la validation de la coordination du réseau : vous pourrez proposer votre aide ensuite.',
      {},
    );
  return row;
}

/** A validated volunteer asks to join an open mission; its structure answers. */
export async function applyToMission(
  db: Db,
  actor: Actor,
  input: { missionId: string },
  opts: { now?: Date } = {},
): Promise<string> {
  authorize(actor, 'applyToMission');
  const key = input.missionId.trim().toLowerCase();
  const mission = isUuid(key) ? await findMission(db, key) : undefined;
  if (!mission || mission.state === 'draft')
    throw new DomainError('not_found', MESSAGES.notFoundMission, { id: input.missionId });
  if (mission.state === 'closed')
    throw new DomainError('conflict', 'Cette mission est terminée : elle ne prend plus de bénévoles.', {
      id: mission.id,
    });
  const volunteer = await myValidatedProfile(db, actor);
  if (await findMatchOf(db, mission.id, volunteer.person_id))
    throw new DomainError(
      'conflict',
      'Vous avez déjà une proposition pour cette mission : voyez « Mes missions ».',
      {
        missionId: mission.id,
      },
    );
  return insertMatch(db, {
    mission_id: mission.id,
    volunteer_id: volunteer.person_id,
    origin: 'volunteer',
    created_at: opts.now ?? new Date(),
  });
}

/** The volunteer's own proposal of an id (malformed, unknown or someone else's: `not_found`). */
async function ownMatch(db: Db, actor: Actor, id: string) {
  const found = await matchWithStructure(db, id);
  if (!found || actor.kind !== 'person' || found.match.volunteer_id !== actor.personId)
    throw new DomainError('not_found', MESSAGES.notFoundMatch, { id });
  return found.match;
}

/** The volunteer answers a structure's proposal: accepting takes a seat, or a place in line. */
export async function answerProposal(
  db: Db,
  actor: Actor,
  input: { matchId: string; answer: string },
  opts: { now?: Date } = {},
): Promise<'accepted' | 'waiting' | 'declined'> {
  authorize(actor, 'answerProposal');
  const match = await ownMatch(db, actor, input.matchId);
  if (match.origin !== 'structure') throw new DomainError('not_found', MESSAGES.notFoundMatch, input);
  return answerMatch(db, match, input.answer, opts.now ?? new Date());
}

/** The volunteer leaves a mission (accepted or in line); a freed seat goes to the first in line. */
export async function withdrawFromMission(
  db: Db,
  actor: Actor,
  input: { matchId: string },
  opts: { now?: Date } = {},
): Promise<{ promoted: string | null }> {
  authorize(actor, 'withdrawFromMission');
  const match = await ownMatch(db, actor, input.matchId);
  return inTransaction(db, (tx) => releaseInLock(tx, match, opts.now ?? new Date()));
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * The home page's blocks: for the coordinator, missions and volunteers to validate; for each structure
 * of the person, volunteers' requests to answer; for a volunteer, the structures' proposals to answer.
 */
export async function homeBlocks(db: Db, actor: Actor): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const blocks: HomeBlock[] = [];
  if (can(actor, 'validateMission')) {
    const drafts = await listMissionsIn(db, { states: ['draft'] });
    const pending = await listVolunteerRows(db, { state: 'pending' });
    blocks.push(
      {
        id: 'volunteers.missions_to_validate',
        audience: 'coordinator',
        title: 'Missions de bénévolat à valider',
        count: drafts.length,
        summary: `${plural(drafts.length, 'mission attend', 'missions attendent')} votre validation.`,
        href: '/benevolat/missions',
        linkLabel: 'Voir les missions',
        items: drafts.slice(0, 5).map((m) => ({ label: m.title, href: `/benevolat/missions/${m.id}` })),
      },
      {
        id: 'volunteers.volunteers_to_validate',
        audience: 'coordinator',
        title: 'Bénévoles à valider',
        count: pending.length,
        summary: `${plural(pending.length, 'bénévole attend', 'bénévoles attendent')} votre validation.`,
        href: '/benevolat/benevoles',
        linkLabel: 'Voir les bénévoles',
      },
    );
  }
  if (actor.memberships.length > 0) {
    const ids = actor.memberships.map((m) => m.structureId);
    const missions = await listMissionsIn(db, { states: ['validated', 'full'], structureIds: ids });
    const asks = await listMatches(db, {
      missionIds: missions.map((m) => m.id),
      states: ['proposed'],
      origin: 'volunteer',
    });
    const names = await structureNames(db, ids);
    for (const structureId of ids) {
      const own = missions.filter((m) => m.structure_id === structureId);
      const waiting = asks.filter((a) => own.some((m) => m.id === a.mission_id));
      blocks.push({
        id: 'volunteers.requests',
        audience: 'structure',
        structureName: names.get(structureId) ?? 'Ma structure',
        title: 'Bénévoles qui proposent leur aide',
        count: waiting.length,
        summary: `${plural(waiting.length, 'demande de bénévole attend', 'demandes de bénévoles attendent')} votre réponse.`,
        href: '/benevolat/missions',
        linkLabel: 'Voir nos missions de bénévolat',
        items: own
          .filter((m) => waiting.some((a) => a.mission_id === m.id))
          .slice(0, 5)
          .map((m) => ({
            label: m.title,
            detail: plural(waiting.filter((a) => a.mission_id === m.id).length, 'demande', 'demandes'),
            href: `/benevolat/missions/${m.id}`,
          })),
      });
    }
  }
  if (can(actor, 'answerProposal')) {
    const proposals = await listMatches(db, {
      volunteerId: actor.personId,
      states: ['proposed'],
      origin: 'structure',
    });
    blocks.push({
      id: 'volunteers.proposals',
      audience: 'everyone',
      title: 'Missions qui vous sont proposées',
      count: proposals.length,
      summary: `${plural(proposals.length, 'proposition attend', 'propositions attendent')} votre réponse.`,
      href: '/benevolat/mon-espace',
      linkLabel: 'Voir mes missions de bénévolat',
    });
  }
  return blocks;
}
