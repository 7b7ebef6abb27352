import type { Db } from '../db/database.ts';

/**
 * Scheduled work, pure: what a periodic job is and what a run reports. The runner is jobs.service.ts,
 * the installation's jobs schedule.service.ts.
 */
export interface Job {
  name: string;
  everyMinutes: number;
  run(db: Db, now: Date): Promise<unknown>;
}

export interface JobReport {
  led: boolean;
  ran: { name: string; ok: boolean; result?: unknown; error?: string }[];
  /** One-off jobs of the queue run by this call (any server may run them, leader or not). */
  queued?: { done: number; failed: number };
}
