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

/**
 * Long background work any server may take (an import from the web): run on every tick and when woken,
 * never two turns at once in one process, outside any transaction of the runner's. Returns how many
 * pieces of work it did.
 */
export interface Worker {
  name: string;
  run(db: Db, now: Date): Promise<number>;
}

export interface JobReport {
  led: boolean;
  ran: { name: string; ok: boolean; result?: unknown; error?: string }[];
  /** One-off jobs of the queue run by this call (any server may run them, leader or not). */
  queued?: { done: number; failed: number };
  /** Long work done by the workers in this call, by worker. */
  worked?: Record<string, number>;
}
