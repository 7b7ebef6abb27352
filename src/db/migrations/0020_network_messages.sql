-- Messages a coordinator writes to the members of the network (decision 0030): the message itself, who
-- it went to in words, and for a limited time who received it. Every mail goes through the outbox.
-- Forward-only: never edit an applied migration, add a new file.

create table network_message (
  id uuid primary key default gen_random_uuid(),
  -- The coordinator who wrote it; their name is kept as it was signed (the mails carry it).
  sent_by uuid references person (id) on delete set null,
  sent_by_name text not null check (char_length(sent_by_name) between 1 and 200),
  sent_at timestamptz not null default now(),
  subject text not null check (char_length(subject) between 1 and 150),
  body text not null check (char_length(body) between 1 and 10000),
  -- The audience as chosen (scope, role, structures, kind, commune) and in French words.
  audience jsonb not null,
  audience_text text not null check (char_length(audience_text) between 1 and 2000),
  recipient_count integer not null check (recipient_count between 1 and 5000),
  excluded_count integer not null default 0 check (excluded_count >= 0),
  -- The preview's single-use token: a second submission of the same form sends nothing.
  form_token uuid not null unique,
  -- When the list of recipients is deleted (retention), what the outbox said of their mails is kept.
  recipients_purged_at timestamptz,
  delivered_count integer check (delivered_count is null or delivered_count >= 0),
  failed_count integer check (failed_count is null or failed_count >= 0)
);
create index network_message_sent_at_idx on network_message (sent_at desc);

-- Who received a message, for as long as the outbox keeps the mails (RETENTION_SENT_MAIL_DAYS): the
-- person and their mail only; the address and the reason are in the mail itself.
create table network_message_recipient (
  message_id uuid not null references network_message (id) on delete cascade,
  person_id uuid not null references person (id) on delete cascade,
  -- The outbox's message (no foreign key: the outbox deletes sent mail on its own schedule).
  mail_id uuid not null,
  primary key (message_id, person_id)
);
create index network_message_recipient_person_idx on network_message_recipient (person_id);
