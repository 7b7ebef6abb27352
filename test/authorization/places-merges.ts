import * as placesMergesService from '../../src/places/places-merges.service.ts';
import { COORDINATOR, type DomainAccess } from './roles.ts';

/**
 * Authorisation expectations of the review of merges (/fusions, docs/decisions/0029): coordinators
 * only, like every other decision on the directory's data.
 */
export const access: DomainAccess = {
  routes: {
    'GET /fusions': { who: COORDINATOR },
    'GET /fusions/:id': { who: COORDINATOR, sample: '/fusions/:merge' },
    'POST /fusions/:id/confirmer': { who: COORDINATOR, sample: '/fusions/:merge/confirmer' },
    'POST /fusions/:id/separer': { who: COORDINATOR, sample: '/fusions/:merge/separer' },
  },
  functions: {
    listMergeReviews: COORDINATOR,
    getMergeReview: COORDINATOR,
    confirmPlaceMerge: COORDINATOR,
    separatePlaceMerge: COORDINATOR,
  },
  services: [placesMergesService],
  async samples(db) {
    // The demonstration's second publisher leaves a merge proposed, waiting for a decision.
    const list = await placesMergesService.listMergeReviews(
      db,
      { kind: 'system' },
      { filter: 'a-verifier', page: 1 },
    );
    const merge = list.merges[0];
    if (!merge) throw new Error('the demonstration has no merge to review');
    return { ':merge': merge.id };
  },
};
