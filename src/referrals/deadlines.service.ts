import type { Db } from '../db/database.ts';
import { listToExpire, listToRemind, markReminded, moveOrientation } from './referrals.repository.ts';
import {
  logTransition,
  mailAnswerLink,
  mailSender,
  nowOf,
  type ReferralsOptions,
} from './referrals.service.ts';
import { addDays, formatDate } from './referrals.ts';

/** Scheduled work on orientations: nothing waits forever for an answer. */

/**
 * Reminds after `reminderDays` without an answer and expires after `expiryDays`, each time mailing
 * the sender (and, for a place reached by e-mail, mailing it a fresh link with the reminder). Run by
 * the job runner with its clock; running it twice changes nothing more.
 */
export async function runOrientationDeadlines(
  db: Db,
  opts: ReferralsOptions,
): Promise<{ reminded: number; expired: number }> {
  const now = nowOf(opts);
  const { reminderDays, expiryDays } = opts.config.orientation;
  let expired = 0;
  for (const row of await listToExpire(db, addDays(now, -expiryDays))) {
    await db.transaction().execute(async (tx) => {
      const moved = await moveOrientation(tx, row.id, 'sent', { state: 'expired', closed_at: now });
      if (!moved) return;
      await logTransition(tx, {
        row,
        from: 'sent',
        to: 'expired',
        actorKind: 'system',
        actorId: null,
        actorLabel: 'Maillage (délai dépassé)',
        at: now,
      });
      await mailSender(tx, moved, opts, {
        subject: `Orientation sans réponse : ${moved.place_name}`,
        lines: [
          `Votre orientation n'a pas eu de réponse en ${expiryDays} jours.`,
          'Elle est close. Vous pouvez appeler le lieu, ou orienter la personne vers un autre lieu.',
        ],
        now,
      });
      expired++;
    });
  }
  let reminded = 0;
  for (const row of await listToRemind(db, addDays(now, -reminderDays))) {
    await db.transaction().execute(async (tx) => {
      if (!(await markReminded(tx, row.id, now))) return;
      await mailSender(tx, row, opts, {
        subject: `Rappel : orientation sans réponse (${row.place_name})`,
        lines: [
          `Votre orientation attend une réponse depuis ${reminderDays} jours.`,
          row.delivery === 'sheet'
            ? 'Le lieu ne reçoit pas les orientations : si vous avez des nouvelles de la personne, notez-les.'
            : 'Nous avons relancé le lieu.',
          `Sans réponse, elle sera close le ${formatDate(addDays(row.sent_at, expiryDays))}.`,
        ],
        now,
      });
      if (row.delivery === 'email') await mailAnswerLink(tx, row, opts, now, true);
      reminded++;
    });
  }
  return { reminded, expired };
}
