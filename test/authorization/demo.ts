import * as demoService from '../../src/demo/demo.service.ts';
import * as demoVouchersService from '../../src/demo/demo-vouchers.service.ts';
import * as workshopsDemoService from '../../src/workshops/workshops-demo.service.ts';
import { type DomainAccess, NOBODY } from './roles.ts';

/**
 * Authorisation expectations of the demonstration data: seeded and checked by the server's start,
 * removed by the command line (`demo remove`); no person may call them.
 */
export const access: DomainAccess = {
  routes: {},
  functions: {
    seedDemoIfFresh: NOBODY,
    demoAccountsBlockStart: NOBODY,
    removeDemo: NOBODY,
    seedDemoVouchers: NOBODY,
    seedDemoWorkshops: NOBODY,
    removeDemoWorkshops: NOBODY,
  },
  services: [demoService, demoVouchersService, workshopsDemoService],
};
