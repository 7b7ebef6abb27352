-- The second factor's own guard: wrong TOTP and recovery codes counted per account (never cleared by a
-- correct password or a sign-in link), a 15-minute lock after 10, the recent locks, and a block after 3
-- locks in 24 hours that only a password reset by e-mailed link lifts.
alter table person
  add column second_factor_failures integer not null default 0 check (second_factor_failures >= 0),
  add column second_factor_locked_until timestamptz,
  add column second_factor_locks timestamptz[] not null default '{}',
  add column second_factor_blocked_at timestamptz;

-- What kind of message each outbox entry is: the outbox page shows who was mailed what kind of message
-- and when, never the message (it holds links, codes and personal data).
alter table mail_outbox add column kind text not null default 'other';

-- One-off background work (e.g. "send a sign-in link if this address has an account"): a request only
-- enqueues it, so its answer costs the same whatever the outcome. Claimed with SKIP LOCKED by any app
-- server, run in the claiming transaction, deleted when done; retried with a delay, then kept as failed.
create table queued_job (
  id bigint generated always as identity primary key,
  name text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  run_after timestamptz not null default now(),
  attempts integer not null default 0,
  last_error text,
  failed_at timestamptz
);
create index queued_job_due_idx on queued_job (run_after, id) where failed_at is null;
