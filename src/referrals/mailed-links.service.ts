import { type Actor, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db, OrientationState } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { findLinkByHash, findOrientation, type OrientationRow, useLink } from './referrals.repository.ts';
import {
  applyAction,
  auditPersonalAccess,
  hashToken,
  hasPersonalData,
  issueLink,
  linkSecret,
  linkUrl,
  namingOf,
  nowOf,
  type Orientation,
  type ReferralsOptions,
  toOrientation,
} from './referrals.service.ts';
import {
  type AnswerInput,
  addDays,
  CLOSE_LINK_DAYS,
  type LinkPurpose,
  orientationMailHeader,
  orientationTitle,
  parisDay,
  validateAnswer,
  verifyLinkToken,
} from './referrals.ts';

/**
 * The links mailed to a place's referral address, for places without members on Maillage: the link is
 * the key (signed, single-use, expiring) to see the orientation, answer it, and say whether the person
 * came, without an account.
 */

export type LinkFailure = 'tampered' | 'invalid' | 'used' | 'expired' | 'done';

export type LinkView =
  | { ok: true; purpose: LinkPurpose; orientation: Orientation }
  | { ok: false; reason: LinkFailure };

async function checkLink(
  db: Db,
  token: string,
  now: Date,
): Promise<
  { ok: true; linkId: string; purpose: LinkPurpose; row: OrientationRow } | { ok: false; reason: LinkFailure }
> {
  const checked = verifyLinkToken(await linkSecret(db), token);
  if (!checked.ok) return { ok: false, reason: checked.reason === 'tampered' ? 'tampered' : 'invalid' };
  const link = await findLinkByHash(db, hashToken(token));
  if (!link || link.id !== checked.id) return { ok: false, reason: 'invalid' };
  if (link.used_at) return { ok: false, reason: 'used' };
  if (link.expires_at <= now) return { ok: false, reason: 'expired' };
  const row = await findOrientation(db, link.orientation_id);
  if (!row) return { ok: false, reason: 'invalid' };
  const expected: OrientationState = link.purpose === 'answer' ? 'sent' : 'accepted';
  if (row.state !== expected) return { ok: false, reason: 'done' };
  return { ok: true, linkId: link.id, purpose: link.purpose, row };
}

/**
 * What a mailed link shows: the orientation, to answer or close it, without an account. The link is
 * the key: signed (a changed character is refused), single-use, expiring. Reading it is audited.
 */
export async function viewOrientationByLink(
  db: Db,
  actor: Actor,
  input: { token: string },
  opts: { now?: Date } = {},
): Promise<LinkView> {
  authorize(actor, 'viewOrientationByLink');
  const now = nowOf(opts);
  const checked = await checkLink(db, input.token, now);
  if (!checked.ok) return checked;
  if (hasPersonalData(checked.row))
    await auditPersonalAccess(db, 'link', {
      action: 'orientation.personal_data_viewed',
      orientationId: checked.row.id,
      at: now,
    });
  return { ok: true, purpose: checked.purpose, orientation: toOrientation(checked.row) };
}

export type LinkActionResult =
  | { ok: true; orientation: Orientation; closeToken: string | null }
  | { ok: false; reason: LinkFailure }
  | { ok: false; reason: 'invalid_input'; errors: Record<string, string>; orientation: Orientation };

/**
 * Accepts or refuses from the mailed link (once). After an acceptance, a new single-use link to say
 * whether the person came is shown and mailed to the same address.
 */
export async function answerOrientationByLink(
  db: Db,
  actor: Actor,
  input: { token: string } & AnswerInput,
  opts: ReferralsOptions,
): Promise<LinkActionResult> {
  authorize(actor, 'answerOrientationByLink');
  const now = nowOf(opts);
  const checked = await checkLink(db, input.token, now);
  if (!checked.ok) return checked;
  if (checked.purpose !== 'answer') return { ok: false, reason: 'invalid' };
  const answer = validateAnswer(input, parisDay(now));
  if (!answer.ok)
    return {
      ok: false,
      reason: 'invalid_input',
      errors: answer.errors,
      orientation: toOrientation(checked.row),
    };
  return db.transaction().execute(async (tx) => {
    if (!(await useLink(tx, checked.linkId, now))) return { ok: false, reason: 'used' } as const;
    const moved = await applyAction(
      tx,
      checked.row,
      answer.action,
      {
        actorKind: 'link',
        actorId: null,
        actorLabel: `${checked.row.place_name} (lien reçu par e-mail)`,
        message: answer.message,
        appointment: answer.appointment,
        now,
      },
      opts,
    );
    let closeToken: string | null = null;
    if (moved.state === 'accepted' && moved.referral_email) {
      closeToken = await issueLink(tx, {
        orientationId: moved.id,
        purpose: 'close',
        expiresAt: addDays(now, CLOSE_LINK_DAYS),
        now,
      });
      await enqueueMail(
        tx,
        {
          to: moved.referral_email,
          kind: 'orientation_close_link',
          subject: `Orientation acceptée : dites-nous si la personne est venue — ${orientationTitle(namingOf(moved))}`,
          text: [
            ...orientationMailHeader(namingOf(moved), linkUrl(opts, closeToken)),
            '',
            'Bonjour,',
            '',
            `Vous avez accepté l'orientation envoyée par « ${moved.sender_structure_name} ».`,
            'Après le rendez-vous, dites-nous si la personne est venue avec le lien ci-dessus.',
            '',
            `Ce lien marche une seule fois, pendant ${CLOSE_LINK_DAYS} jours.`,
          ].join('\n'),
        },
        now,
      );
    }
    await recordAudit(tx, {
      actorId: null,
      actorLabel: 'lien reçu par e-mail',
      action: `orientation.${moved.state}`,
      subjectType: 'orientation',
      subjectId: moved.id,
      at: now,
    });
    return { ok: true, orientation: toOrientation(moved), closeToken } as const;
  });
}

/** Says from the mailed link whether the person came (once). */
export async function closeOrientationByLink(
  db: Db,
  actor: Actor,
  input: { token: string; outcome: string },
  opts: { now?: Date } = {},
): Promise<LinkActionResult> {
  authorize(actor, 'closeOrientationByLink');
  const now = nowOf(opts);
  const checked = await checkLink(db, input.token, now);
  if (!checked.ok) return checked;
  if (checked.purpose !== 'close') return { ok: false, reason: 'invalid' };
  const outcome = input.outcome;
  if (outcome !== 'came' && outcome !== 'did_not_come')
    return {
      ok: false,
      reason: 'invalid_input',
      errors: { outcome: 'Choisissez : la personne est venue, ou elle n’est pas venue.' },
      orientation: toOrientation(checked.row),
    };
  return db.transaction().execute(async (tx) => {
    if (!(await useLink(tx, checked.linkId, now))) return { ok: false, reason: 'used' } as const;
    const moved = await applyAction(
      tx,
      checked.row,
      { type: 'close', outcome },
      {
        actorKind: 'link',
        actorId: null,
        actorLabel: `${checked.row.place_name} (lien reçu par e-mail)`,
        now,
      },
    );
    return { ok: true, orientation: toOrientation(moved), closeToken: null } as const;
  });
}
