import { spreadsheetCsv } from '../shared/spreadsheet.ts';
import { parisLocal, REGISTRATION_STATE_LABELS, type RegistrationState } from './workshops.ts';

/** What the file shows of a registration (the services' RegistrationView has it). */
export interface ParticipantLine {
  firstName: string | null;
  phone: string | null;
  email: string | null;
  byMediator: boolean;
  state: RegistrationState;
  position: number | null;
  purged: boolean;
}

/**
 * The participants of one date as a CSV for the structure (issue 21, "a CSV of participants"): first
 * name, phone and address while they are kept (blank once purged), the state (inscrit, liste d'attente,
 * présent, absent) and the waiting rank. Cancelled registrations are left out.
 */
export function participantsCsv(date: {
  title: string;
  startsAt: Date;
  registrations: readonly ParticipantLine[];
}): string {
  const when = parisLocal(date.startsAt).replace('T', ' ');
  const rows = date.registrations
    .filter((r) => r.state !== 'cancelled')
    .map((r) => [
      date.title,
      when,
      r.purged ? '(effacé)' : (r.firstName ?? ''),
      r.purged ? '' : (r.phone ?? ''),
      r.purged ? '' : (r.email ?? ''),
      REGISTRATION_STATE_LABELS[r.state],
      r.position ?? '',
      r.byMediator ? 'oui' : 'non',
    ]);
  return spreadsheetCsv([
    [
      'atelier',
      'date',
      'prénom',
      'téléphone',
      'e-mail',
      'état',
      'rang d’attente',
      'inscrit par un médiateur',
    ],
    ...rows,
  ]);
}

/** The file's name: participants-2027-01-12-1400.csv (the date's Paris start). */
export const participantsFileName = (startsAt: Date) =>
  `participants-${parisLocal(startsAt).replace('T', '-').replace(':', '')}.csv`;
