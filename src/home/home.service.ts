import { type Actor, authorize } from '../accounts/policy.ts';
import { homeBlocks as activityBlocks } from '../activities/activity-pages.service.ts';
import { homeBlocks as statisticsBlocks } from '../activities/statistics-home.service.ts';
import { homeBlocks as callbackBlocks } from '../callbacks/callbacks.service.ts';
import type { Db } from '../db/database.ts';
import { homeBlocks as funderBlocks } from '../funders/funders.service.ts';
import { homeBlocks as messageBlocks } from '../messages/messages.service.ts';
import { homeBlocks as moderationBlocks } from '../moderation/moderation-home.service.ts';
import { homeBlocks as referralBlocks } from '../referrals/referrals-home.service.ts';
import { homeBlocks as resourceBlocks } from '../resources/resources.service.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { homeBlocks as structureBlocks } from '../structures/structures-home.service.ts';
import { homeBlocks as usageBlocks } from '../usage/usage.service.ts';
import { homeBlocks as volunteerBlocks } from '../volunteers/volunteers.service.ts';
import { homeBlocks as passBlocks } from '../vouchers/dashboard-home.service.ts';
import { homeBlocks as programmeBlocks } from '../vouchers/programme-pages.service.ts';
import { homeBlocks as redemptionBlocks } from '../vouchers/redemptions.service.ts';
import { homeBlocks as workshopBlocks } from '../workshops/workshops-home.service.ts';

/**
 * A domain's blocks for the home page: each returns only the blocks that concern the actor (none for
 * the others) and decides, with the policy module, what the actor may see in them.
 */
type BlockSource = (db: Db, actor: Actor, now: Date, settings: HomeSettings) => Promise<HomeBlock[]>;

/** What blocks need of the installation's configuration. */
export interface HomeSettings {
  /** Days without an answer after which an orientation counts as unanswered (ORIENTATION_REMINDER_DAYS). */
  reminderDays: number;
  /** Unknown voucher codes across the network within an hour above which coordinators are alerted. */
  passGuessAlertPerHour: number;
}

/** Every domain that puts blocks on the home page, in the order the page shows them. */
const SOURCES: readonly BlockSource[] = [
  referralBlocks,
  callbackBlocks,
  moderationBlocks,
  structureBlocks,
  messageBlocks,
  usageBlocks,
  funderBlocks,
  (db, actor) => passBlocks(db, actor),
  (db, actor, now, settings) =>
    redemptionBlocks(db, actor, { now, alertPerHour: settings.passGuessAlertPerHour }),
  programmeBlocks,
  (db, actor) => resourceBlocks(db, actor),
  (db, actor, now) => activityBlocks(db, actor, now),
  (db, actor, now) => statisticsBlocks(db, actor, now),
  workshopBlocks,
  (db, actor) => volunteerBlocks(db, actor),
];

const AUDIENCE_ORDER: Record<HomeBlock['audience'], number> = {
  everyone: 0,
  structure: 1,
  coordinator: 2,
  funder: 3,
};

/**
 * The home page of a signed-in person (`/espace`): for each role they hold, the blocks of what awaits
 * them, each with a count and a link to act. Blocks come from the domains; a zero count says "rien à
 * faire" on the page. Structure blocks first (daily work), then the network's, then the funder's.
 */
export async function showHome(
  db: Db,
  actor: Actor,
  settings: HomeSettings,
  now = new Date(),
): Promise<HomeBlock[]> {
  authorize(actor, 'showHome');
  const blocks = (await Promise.all(SOURCES.map((source) => source(db, actor, now, settings)))).flat();
  return blocks
    .map((block, index) => ({ block, index }))
    .sort((a, b) => AUDIENCE_ORDER[a.block.audience] - AUDIENCE_ORDER[b.block.audience] || a.index - b.index)
    .map((x) => x.block);
}
