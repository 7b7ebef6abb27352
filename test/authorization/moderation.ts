import { DEFAULT_LIMITS } from '../../src/config.ts';
import * as moderationService from '../../src/moderation/moderation.service.ts';
import { reportPlaceError } from '../../src/places/error-reports.service.ts';
import { getPlaceEditor, proposePlaceChange } from '../../src/places/place-edit.service.ts';
import { formOfValues } from '../../src/places/place-edit-form.ts';
import { COORDINATOR, type DomainAccess } from './roles.ts';

/** Authorisation expectations of the coordinator's moderation queue. */
export const access: DomainAccess = {
  routes: {
    'GET /moderation': { who: COORDINATOR },
    'GET /moderation/modifications/:id': { who: COORDINATOR, sample: '/moderation/modifications/:change' },
    'POST /moderation/modifications/:id': { who: COORDINATOR, sample: '/moderation/modifications/:change' },
    'GET /moderation/signalements/:id': { who: COORDINATOR, sample: '/moderation/signalements/:report' },
    'POST /moderation/signalements/:id': { who: COORDINATOR, sample: '/moderation/signalements/:report' },
  },
  functions: {
    listModerationQueue: COORDINATOR,
    getPlaceChangeReview: COORDINATOR,
    decidePlaceChange: COORDINATOR,
    getErrorReportReview: COORDINATOR,
    decideErrorReport: COORDINATOR,
  },
  services: [moderationService],
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
    return { ':change': proposal.changeId, ':report': report.id };
  },
};
