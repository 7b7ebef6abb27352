import * as registrationsService from '../../src/workshops/registrations.service.ts';
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
    registerForWorkshop: EVERYONE,
    describeRegistrationByToken: EVERYONE,
    cancelRegistrationByToken: EVERYONE,
    registerOnBehalf: ANY_MEMBER,
    listRegistrations: MEMBERS_ONLY,
    removeRegistration: MEMBERS_ONLY,
    recordAttendance: MEMBERS_ONLY,
    runWorkshopReminders: NOBODY,
  },
  services: [workshopsService, registrationsService],
};
