import { inviteToStructure } from '../../src/accounts/accounts.service.ts';
import * as invitationsService from '../../src/accounts/invitations.service.ts';
import * as placeRequestsModeration from '../../src/moderation/place-requests.service.ts';
import * as placeRequestsService from '../../src/places/place-requests.service.ts';
import * as structureAdminService from '../../src/structures/structure-admin.service.ts';
import { ANY_MEMBER, COORDINATOR, type DomainAccess, STRUCTURE_ADMINS } from './roles.ts';

/**
 * Authorisation expectations of structures that work alone: their administrators propose new places and
 * ask to attach existing ones (the coordinator decides), the coordinator's list and edit of structures,
 * and invitations seen, sent again or withdrawn by those who invite.
 */
export const access: DomainAccess = {
  routes: {
    'GET /structures/:id/lieux/nouveau': {
      who: STRUCTURE_ADMINS,
      sample: '/structures/:structure/lieux/nouveau',
    },
    'POST /structures/:id/lieux/nouveau': {
      who: STRUCTURE_ADMINS,
      sample: '/structures/:structure/lieux/nouveau',
    },
    'GET /structures/:id/lieux/rattacher': {
      who: STRUCTURE_ADMINS,
      sample: '/structures/:structure/lieux/rattacher?nom=bibliotheque',
    },
    'POST /structures/:id/lieux/rattacher': {
      who: STRUCTURE_ADMINS,
      sample: '/structures/:structure/lieux/rattacher',
    },
    'GET /moderation/nouveaux-lieux/:id': {
      who: COORDINATOR,
      sample: '/moderation/nouveaux-lieux/:newplace',
    },
    'POST /moderation/nouveaux-lieux/:id': {
      who: COORDINATOR,
      sample: '/moderation/nouveaux-lieux/:newplace',
    },
    'GET /moderation/rattachements/:id': { who: COORDINATOR, sample: '/moderation/rattachements/:attach' },
    'POST /moderation/rattachements/:id': { who: COORDINATOR, sample: '/moderation/rattachements/:attach' },
    'GET /structures/:id/modifier': { who: COORDINATOR, sample: '/structures/:structure/modifier' },
    'POST /structures/:id/modifier': { who: COORDINATOR, sample: '/structures/:structure/modifier' },
    'POST /structures/:id/invitations/:invitation/renvoyer': {
      who: STRUCTURE_ADMINS,
      sample: '/structures/:structure/invitations/:invitation/renvoyer',
    },
    'POST /structures/:id/invitations/:invitation/retirer': {
      who: STRUCTURE_ADMINS,
      sample: '/structures/:structure/invitations/:invitation/retirer',
    },
  },
  functions: {
    startNewPlace: STRUCTURE_ADMINS,
    proposeNewPlace: STRUCTURE_ADMINS,
    findPlacesToAttach: STRUCTURE_ADMINS,
    requestPlaceAttachment: STRUCTURE_ADMINS,
    listMyPlaceRequests: ANY_MEMBER,
    getNewPlaceReview: COORDINATOR,
    decideNewPlace: COORDINATOR,
    getAttachRequestReview: COORDINATOR,
    decideAttachRequest: COORDINATOR,
    searchNetworkStructures: COORDINATOR,
    getStructureForEdit: COORDINATOR,
    updateStructure: COORDINATOR,
    listStructureInvitations: STRUCTURE_ADMINS,
    resendInvitation: STRUCTURE_ADMINS,
    withdrawInvitation: STRUCTURE_ADMINS,
  },
  services: [placeRequestsService, placeRequestsModeration, structureAdminService, invitationsService],
  async samples(db) {
    // The demo structure 0 (admin.demo administers it), a place of another structure to attach, a new
    // place proposed and an invitation sent, all through the services.
    const { structure_id: structureId } = await db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', 'admin.demo@example.org')
      .executeTakeFirstOrThrow();
    const system = { kind: 'system' } as const;
    const start = await placeRequestsService.startNewPlace(db, system, { structureId });
    const form = start.form;
    Object.assign(form.text, {
      nom: 'Lieu de la matrice',
      adresse: '1 rue de la Matrice',
      code_postal: '45770',
      commune: 'Saran',
    });
    const proposed = await placeRequestsService.proposeNewPlace(
      db,
      system,
      { structureId, form, proposerLabel: 'Matrice des droits' },
      { config: { geocoderUrl: null } },
    );
    if (!proposed.ok) throw new Error(`the sample new place was refused: ${JSON.stringify(proposed.errors)}`);
    const other = await db
      .selectFrom('place')
      .select('id')
      .where((eb) => eb.or([eb('structure_id', '!=', structureId), eb('structure_id', 'is', null)]))
      .orderBy('nom')
      .executeTakeFirstOrThrow();
    const attach = await placeRequestsService.requestPlaceAttachment(db, system, {
      structureId,
      placeId: other.id,
      message: '',
      proposerLabel: 'Matrice des droits',
    });
    if (!attach.ok) throw new Error('the sample attach request was refused');
    await inviteToStructure(
      db,
      system,
      { email: 'invitation.matrice@example.org', structureId, role: 'staff' },
      { config: { publicUrl: 'http://localhost' } as never },
    );
    const [invitation] = await invitationsService.listStructureInvitations(db, system, { structureId });
    if (!invitation) throw new Error('the sample invitation is missing');
    return { ':newplace': proposed.changeId, ':attach': attach.requestId, ':invitation': invitation.id };
  },
};
