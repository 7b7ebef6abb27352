-- A temporary closure proposed by a structure only reduces the offer: it is public at once, so residents
-- are not sent to a closed door, and the proposal still waits in the moderation queue, where the
-- coordinator keeps it or reverts it. When the closures of a pending change were applied, and when.
alter table place_change add column closures_applied_at timestamptz;

-- An error report can be forwarded to the structure that owns the place, which answers it from its home
-- (resolved, or not an error, with a short note). 'forwarded' waits for the structure's answer.
alter table error_report drop constraint error_report_status_check;
alter table error_report add constraint error_report_status_check
  check (status in ('new', 'forwarded', 'done', 'rejected'));
alter table error_report add column forwarded_to uuid references structure (id) on delete set null;
alter table error_report add column forwarded_at timestamptz;
alter table error_report add column forwarded_by uuid;
-- Whether the reporter was mailed the resolution (they left an e-mail address).
alter table error_report add column reporter_notified_at timestamptz;
create index error_report_forwarded_idx on error_report (forwarded_to, status);
