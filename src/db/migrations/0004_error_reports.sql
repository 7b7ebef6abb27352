-- "Signaler une erreur" on a place's public page (issue 4): no account, minimal data. Reports wait in the
-- coordinator's moderation queue. The contact is optional and only what the person chose to give.
create table error_report (
  id uuid primary key default gen_random_uuid(),
  place_id uuid not null references place (id) on delete cascade,
  message text not null check (char_length(message) between 1 and 2000),
  contact text check (contact is null or char_length(contact) between 1 and 200),
  created_at timestamptz not null default now(),
  status text not null default 'new' check (status in ('new', 'done', 'rejected'))
);

create index error_report_queue on error_report (status, created_at);
