import * as opsService from '../../src/ops/ops.service.ts';
import { type DomainAccess, EVERYONE, NOBODY } from './roles.ts';

/**
 * Authorisation expectations of the operator's doors (docs/decisions/0046): readiness is for everyone
 * (a load balancer has no account); the metrics need METRICS_TOKEN, which the matrix's app does not set,
 * so /metrics does not exist for anybody there (404). Their services act as the system only.
 */
export const access: DomainAccess = {
  routes: {
    'GET /readyz': { who: EVERYONE },
    'GET /metrics': { who: EVERYONE, status: 404 },
  },
  functions: {
    checkReadiness: NOBODY,
    readOperationalFigures: NOBODY,
  },
  services: [opsService],
};
