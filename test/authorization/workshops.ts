import type { Db } from '../../src/db/database.ts';
import * as agendaService from '../../src/workshops/agenda.service.ts';
import * as registrationsService from '../../src/workshops/registrations.service.ts';
import {
  insertOccurrences,
  insertRegistration,
  insertWorkshop,
} from '../../src/workshops/workshops.repository.ts';
import * as workshopsService from '../../src/workshops/workshops.service.ts';
import { ANY_MEMBER, type DomainAccess, EVERYONE, MEMBERS_ONLY, NOBODY } from './roles.ts';

/**
 * Authorisation expectations of the agenda (decision 0041): a structure's workshops and the people
 * registered to them are its staff's alone — not the coordinators', not another structure's; the agenda
 * (workshops, dates, counts) is public; anybody registers and cancels with the link; any mediator (or
 * a coordinator) registers someone. The iCal feeds are public.
 */
export const access: DomainAccess = {
  routes: {
    'GET /agenda.ics': { who: EVERYONE },
    'GET /agenda/lieux/:file': { who: EVERYONE, sample: '/agenda/lieux/:place.ics' },
    'GET /agenda/structures/:file': { who: EVERYONE, sample: '/agenda/structures/:structure.ics' },
    'GET /agenda/themes/:file': { who: EVERYONE, sample: '/agenda/themes/smartphone.ics' },
    'GET /agenda': { who: EVERYONE },
    'GET /agenda/ateliers/:id': { who: EVERYONE, sample: '/agenda/ateliers/:workshop' },
    'POST /agenda/ateliers/:id/inscription': {
      who: EVERYONE,
      sample: '/agenda/ateliers/:workshop/inscription',
    },
    // A dead link for everybody (the token is the key, not the role).
    'GET /agenda/annulation/:token': { who: EVERYONE, sample: '/agenda/annulation/:deadtoken', status: 404 },
    'POST /agenda/annulation/:token': { who: EVERYONE, sample: '/agenda/annulation/:deadtoken' },
    // The structure's staff pages: its own staff (another structure's staff see their own workshops).
    'GET /agenda/gestion': { who: ['structure_admin', 'staff', 'other_structure'] },
    'GET /agenda/gestion/nouveau': { who: ['structure_admin', 'staff', 'other_structure'] },
    'POST /agenda/gestion/nouveau': { who: ['structure_admin', 'staff', 'other_structure'] },
    'GET /agenda/gestion/dates/:id': { who: MEMBERS_ONLY, sample: '/agenda/gestion/dates/:date' },
    'GET /agenda/gestion/dates/:id/emargement': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/dates/:date/emargement',
    },
    'POST /agenda/gestion/dates/:id/presences': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/dates/:date/presences',
    },
    // Any mediator (or a coordinator) registers someone; the list is the structure's alone.
    'POST /agenda/gestion/dates/:id/inscrire': {
      who: ANY_MEMBER,
      sample: '/agenda/gestion/dates/:date/inscrire',
    },
    'POST /agenda/gestion/ateliers/:id/annuler': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/ateliers/:workshop/annuler',
    },
    'POST /agenda/gestion/dates/:id/annuler': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/dates/:date/annuler',
    },
    // Changing a workshop, adding dates, moving a date, a date's participants as CSV: its own staff.
    'GET /agenda/gestion/ateliers/:id/modifier': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/ateliers/:workshop/modifier',
    },
    'POST /agenda/gestion/ateliers/:id/modifier': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/ateliers/:workshop/modifier',
    },
    'GET /agenda/gestion/ateliers/:id/dates': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/ateliers/:workshop/dates',
    },
    'POST /agenda/gestion/ateliers/:id/dates': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/ateliers/:workshop/dates',
    },
    'GET /agenda/gestion/dates/:id/deplacer': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/dates/:date/deplacer',
    },
    'POST /agenda/gestion/dates/:id/deplacer': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/dates/:date/deplacer',
    },
    'GET /agenda/gestion/dates/:id/participants.csv': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/dates/:date/participants.csv',
    },
    'POST /agenda/gestion/inscriptions/:id/retirer': {
      who: MEMBERS_ONLY,
      sample: '/agenda/gestion/inscriptions/:registration/retirer',
    },
  },
  functions: {
    createWorkshop: MEMBERS_ONLY,
    updateWorkshop: MEMBERS_ONLY,
    cancelWorkshop: MEMBERS_ONLY,
    addWorkshopDates: MEMBERS_ONLY,
    moveWorkshopDate: MEMBERS_ONLY,
    cancelWorkshopDate: MEMBERS_ONLY,
    listStructureWorkshops: MEMBERS_ONLY,
    getWorkshop: EVERYONE,
    listUpcomingWorkshops: EVERYONE,
    getAgendaStructure: EVERYONE,
    searchAgenda: EVERYONE,
    registerForWorkshop: EVERYONE,
    describeRegistrationByToken: EVERYONE,
    cancelRegistrationByToken: EVERYONE,
    registerOnBehalf: ANY_MEMBER,
    listRegistrations: MEMBERS_ONLY,
    removeRegistration: MEMBERS_ONLY,
    recordAttendance: MEMBERS_ONLY,
    runWorkshopReminders: NOBODY,
  },
  services: [workshopsService, registrationsService, agendaService],
  // A workshop of the demo structure (that of structure_admin and staff), a month ahead; a link's
  // token well formed but unknown.
  samples: async (db: Db) => {
    const structure = await db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', 'admin.demo@example.org')
      .executeTakeFirstOrThrow();
    const now = new Date();
    const w = await insertWorkshop(db, {
      structure_id: structure.structure_id,
      title: 'Atelier de la matrice',
      needs: ['smartphone'],
      themes: [],
      level: null,
      mode: 'online',
      place_id: null,
      place_name: null,
      commune_code: null,
      online_url: 'https://visio.example.org/matrice',
      capacity: 100,
      created_at: now,
      updated_at: now,
    });
    const start = new Date(now.getTime() + 30 * 86_400_000);
    const [date] = await insertOccurrences(db, [
      {
        workshop_id: w.id,
        starts_at: start,
        ends_at: new Date(start.getTime() + 7_200_000),
        created_at: now,
        updated_at: now,
      },
    ]);
    const registration = await insertRegistration(db, {
      occurrence_id: date?.id as string,
      first_name: 'Matrice',
      phone: null,
      email: 'matrice@example.org',
      created_at: now,
      updated_at: now,
    });
    return {
      ':workshop': w.id,
      ':deadtoken': 'A'.repeat(32),
      ':date': date?.id as string,
      ':registration': registration.id,
    };
  },
};
