import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { structureMemberAddresses } from '../structures/structures.service.ts';
import {
  countRegistrations,
  type OccurrenceRow,
  promoteWaiting,
  type RegistrationRow,
  type WorkshopRow,
} from './workshops.repository.ts';
import { dateWords } from './workshops.ts';

/**
 * What the agenda's services share (decision 0041), none of it a use case: the cancellation link's
 * token, filling the seats a cancellation frees from the waiting list, and the mails to registered
 * people. Called inside the caller's transaction, after the caller has locked the date and authorised.
 */

/** The path of a registration's cancellation link (the agenda's pages answer it). */
export const cancelLinkPath = (token: string) => `/agenda/annulation/${token}`;

/** A new cancellation token: the secret of the link, 192 random bits; only its hash is stored. */
export function newCancelToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: hashCancelToken(token) };
}

export const hashCancelToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Whether the token has the shape of one (anything else is refused before a query). */
export const isCancelToken = (token: string) => /^[A-Za-z0-9_-]{32}$/.test(token);

/** Seats taken on a date: registered, and those whose attendance is taken. */
export const seated = (c: { registered: number; attended: number; absent: number }) =>
  c.registered + c.attended + c.absent;

/**
 * Fills a date's free seats from its waiting list, first come first served, and tells each promoted
 * person (by mail; without an address, the structure's members are told to phone them). Nothing moves
 * on a cancelled or started date. The caller holds the date's lock.
 */
export async function fillFreedSeats(
  db: Db,
  input: { occurrence: OccurrenceRow; workshop: WorkshopRow; now: Date; publicUrl: string },
): Promise<RegistrationRow[]> {
  const { occurrence, workshop, now } = input;
  if (occurrence.status === 'cancelled' || workshop.status === 'cancelled') return [];
  if (occurrence.starts_at <= now) return [];
  const counts = await countRegistrations(db, occurrence.id);
  const free = workshop.capacity - seated(counts);
  const promoted = await promoteWaiting(db, occurrence.id, free, now);
  for (const r of promoted) await tellPromoted(db, r, input);
  return promoted;
}

const where = (w: WorkshopRow) => (w.mode === 'online' ? `en ligne : ${w.online_url}` : `à ${w.place_name}`);

async function tellPromoted(
  db: Db,
  r: RegistrationRow,
  input: { occurrence: OccurrenceRow; workshop: WorkshopRow; now: Date; publicUrl: string },
): Promise<void> {
  const { occurrence, workshop, now } = input;
  if (r.email) {
    await enqueueMail(
      db,
      {
        to: r.email,
        kind: 'workshop_promoted',
        subject: `Une place s’est libérée : ${workshop.title}`,
        text: [
          `Bonjour ${r.first_name ?? ''},`,
          '',
          `Une place s’est libérée : vous êtes inscrit à l’atelier « ${workshop.title} »`,
          `le ${dateWords(occurrence.starts_at)}, ${where(workshop)}.`,
          '',
          'Si vous ne pouvez plus venir, annulez avec le lien reçu lors de votre inscription :',
          'la place ira à la personne suivante.',
        ].join('\n'),
      },
      now,
    );
    return;
  }
  // No address: the structure phones the person (the mail says neither the name nor the number).
  for (const to of await structureMemberAddresses(db, workshop.structure_id))
    await enqueueMail(
      db,
      {
        to,
        kind: 'workshop_staff_notice',
        subject: `Atelier « ${workshop.title} » : une personne à prévenir`,
        text: [
          'Bonjour,',
          '',
          `Une place s’est libérée à l’atelier « ${workshop.title} » du ${dateWords(occurrence.starts_at)} :`,
          'une personne de la liste d’attente est maintenant inscrite. Elle n’a pas donné d’adresse e-mail :',
          'merci de la prévenir par téléphone.',
          '',
          `La liste des inscrits est sur ${input.publicUrl}/agenda (connexion demandée).`,
        ].join('\n'),
      },
      now,
    );
}

/** The mail that confirms a registration (or a place on the waiting list), with the cancellation link. */
export async function mailRegistered(
  db: Db,
  input: {
    registration: RegistrationRow;
    token: string;
    position: number | null;
    occurrence: OccurrenceRow;
    workshop: WorkshopRow;
    now: Date;
    publicUrl: string;
  },
): Promise<void> {
  const { registration: r, occurrence, workshop } = input;
  if (!r.email) return;
  const waiting = r.state === 'waiting';
  await enqueueMail(
    db,
    {
      to: r.email,
      kind: 'workshop_registered',
      subject: waiting ? `Liste d’attente : ${workshop.title}` : `Inscription confirmée : ${workshop.title}`,
      text: [
        `Bonjour ${r.first_name ?? ''},`,
        '',
        waiting
          ? `L’atelier « ${workshop.title} » est complet : vous êtes en position ${input.position} sur la liste d’attente.`
          : `Vous êtes inscrit à l’atelier « ${workshop.title} ».`,
        `Date : le ${dateWords(occurrence.starts_at)}, ${where(workshop)}.`,
        ...(waiting ? ['Si une place se libère, vous êtes inscrit et prévenu par courriel.'] : []),
        '',
        'Pour annuler, ouvrez ce lien (gardez ce courriel) :',
        `${input.publicUrl}${cancelLinkPath(input.token)}`,
      ].join('\n'),
    },
    input.now,
  );
}

/** Tells the live registrations of some dates that they are cancelled (or moved). */
export async function mailChange(
  db: Db,
  input: {
    registrations: readonly RegistrationRow[];
    occurrences: ReadonlyMap<string, OccurrenceRow>;
    workshop: WorkshopRow;
    kind: 'cancelled' | 'moved' | 'removed';
    now: Date;
  },
): Promise<number> {
  let sent = 0;
  for (const r of input.registrations) {
    const o = input.occurrences.get(r.occurrence_id);
    if (!r.email || !o) continue;
    const when = `le ${dateWords(o.starts_at)}`;
    const line =
      input.kind === 'cancelled'
        ? `L’atelier « ${input.workshop.title} » prévu ${when} est annulé.`
        : input.kind === 'moved'
          ? `L’atelier « ${input.workshop.title} » change d’horaire : il aura lieu ${when}.`
          : `Votre inscription à l’atelier « ${input.workshop.title} » du ${dateWords(o.starts_at)} a été annulée par la structure.`;
    await enqueueMail(
      db,
      {
        to: r.email,
        kind: 'workshop_cancelled',
        subject:
          input.kind === 'moved'
            ? `Changement d’horaire : ${input.workshop.title}`
            : `Annulation : ${input.workshop.title}`,
        text: [
          `Bonjour ${r.first_name ?? ''},`,
          '',
          line,
          '',
          'Pour toute question, contactez la structure.',
        ].join('\n'),
      },
      input.now,
    );
    sent++;
  }
  return sent;
}
