import * as jobsService from '../../src/jobs/jobs.service.ts';
import { type DomainAccess, NOBODY } from './roles.ts';

/**
 * Authorisation expectations of the scheduled work: the runner started by the server and `jobs run-due`
 * run by cron; no person may call them.
 */
export const access: DomainAccess = {
  routes: {},
  functions: {
    runDueJobs: NOBODY,
    startJobRunner: NOBODY,
  },
  services: [jobsService],
};
