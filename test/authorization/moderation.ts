import { DEFAULT_LIMITS } from '../../src/config.ts';
import * as forwardingService from '../../src/moderation/error-report-forwarding.service.ts';
import * as moderationService from '../../src/moderation/moderation.service.ts';
import { reportPlaceError } from '../../src/places/error-reports.service.ts';
import { getPlaceEditor, proposePlaceChange } from '../../src/places/place-edit.service.ts';
import { formOfValues } from '../../src/places/place-edit-form.ts';
import { ANY_MEMBER, COORDINATOR, type DomainAccess, STRUCTURE_MEMBERS } from './roles.ts';

/** Authorisation expectations of the coordinator's moderation queue. */
export const access: DomainAccess = {
  routes: {
    'GET /moderation': { who: COORDINATOR },
    'GET /moderation/modifications/:id': { who: COORDINATOR, sample: '/moderation/modifications/:change' },
    'POST /moderation/modifications/:id': { who: COORDINATOR, sample: '/moderation/modifications/:change' },
    'GET /moderation/signalements/:id': { who: COORDINATOR, sample: '/moderation/signalements/:report' },
    'POST /moderation/signalements/:id': { who: COORDINATOR, sample: '/moderation/signalements/:report' },
    // A structure's members answer the reports forwarded to it; another structure's members may not.
    'GET /signalements': { who: ANY_MEMBER },
    'GET /signalements/:id': { who: STRUCTURE_MEMBERS, sample: '/signalements/:forwarded' },
    'POST /signalements/:id': { who: STRUCTURE_MEMBERS, sample: '/signalements/:forwarded' },
  },
  functions: {
    listModerationQueue: COORDINATOR,
    getPlaceChangeReview: COORDINATOR,
    decidePlaceChange: COORDINATOR,
    getErrorReportReview: COORDINATOR,
    decideErrorReport: COORDINATOR,
    forwardErrorReport: COORDINATOR,
    listForwardedReports: ANY_MEMBER,
    getForwardedReport: STRUCTURE_MEMBERS,
    answerForwardedReport: STRUCTURE_MEMBERS,
  },
  services: [moderationService, forwardingService],
  async samples(db) {
    // A pending change and a new error report on a demo place, made through the services.
    const { id: placeId } = await db
      .selectFrom('place')
      .select('id')
      .orderBy('nom')
      .executeTakeFirstOrThrow();
    const system = { kind: 'system' } as const;
    const editor = await getPlaceEditor(db, system, { placeId });
    const form = formOfValues(editor.start, editor.today);
    form.text.presentation_resume = 'Proposition en attente pour la matrice des droits.';
    const proposal = await proposePlaceChange(
      db,
      system,
      { placeId, form, proposerLabel: 'Matrice des droits' },
      { config: { geocoderUrl: null } },
    );
    if (!proposal.ok || !proposal.changeId) throw new Error('the sample proposal was refused');
    const report = await reportPlaceError(
      db,
      system,
      { placeId, message: 'Le numéro de téléphone a changé.', contact: '' },
      { client: 'matrice', limits: DEFAULT_LIMITS },
    );
    if (!report.ok) throw new Error('the sample report was refused');
    // A report on a place of the demo structure, forwarded to it.
    const { id: ownPlaceId } = await db
      .selectFrom('place')
      .innerJoin('membership', 'membership.structure_id', 'place.structure_id')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('place.id')
      .where('person.email', '=', 'admin.demo@example.org')
      .orderBy('place.nom')
      .executeTakeFirstOrThrow();
    const toForward = await reportPlaceError(
      db,
      system,
      { placeId: ownPlaceId, message: 'Les horaires du samedi sont faux.', contact: '' },
      { client: 'matrice', limits: DEFAULT_LIMITS },
    );
    if (!toForward.ok) throw new Error('the sample report to forward was refused');
    await forwardingService.forwardErrorReport(
      db,
      system,
      { reportId: toForward.id },
      { config: { publicUrl: 'http://localhost' } },
    );
    return { ':change': proposal.changeId, ':report': report.id, ':forwarded': toForward.id };
  },
};
