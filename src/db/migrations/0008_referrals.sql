-- Orientations between structures, their events, single-use links and parcours (issue 7 §2–§5).
-- Forward-only: never edit an applied migration, add a new file.

-- A person's chain of orientations (CCAS → social centre → library). It holds nothing personal: the
-- orientations do, and they point to it.
create table parcours (
  id uuid primary key default gen_random_uuid(),
  created_at timestamptz not null default now()
);

-- One orientation of a person from a sending structure to a place. Names of the sender, its structure
-- and the place are copied at sending time: the record says who sent what to whom even after a
-- structure, a place or an account is gone. Person ids carry no foreign key (deleting an account never
-- rewrites history). The personal fields (person_*, message, state_message, diagnostic) are blanked by
-- the scheduled purge or on request; personal_data_erased_at says when.
create table orientation (
  id uuid primary key default gen_random_uuid(),
  parcours_id uuid not null references parcours (id),
  -- The orientation closed as "redirected" that this one continues.
  previous_id uuid references orientation (id),
  sender_structure_id uuid references structure (id) on delete set null,
  sender_structure_name text not null,
  sender_person_id uuid,
  sender_name text not null,
  -- Where notices to the sender go (the sender's account address when sent).
  sender_email text,
  -- How the person or the place reaches the sender (printed on the sheet).
  sender_contact text not null check (char_length(sender_contact) between 1 and 200),
  place_id uuid references place (id) on delete set null,
  place_name text not null,
  receiver_structure_id uuid references structure (id) on delete set null,
  -- How the place receives it: its structure's inbox, a signed link mailed to its referral address, or
  -- only the printed sheet the person takes there.
  delivery text not null check (delivery in ('inbox', 'email', 'sheet')),
  referral_email text,
  needs text[] not null check (cardinality(needs) between 1 and 10),
  urgency text not null check (urgency in ('normal', 'soon', 'urgent')),
  contact_preference text not null
    check (contact_preference in ('phone', 'sms', 'email', 'via_sender', 'self')),
  person_name text check (person_name is null or char_length(person_name) <= 120),
  person_phone text check (person_phone is null or char_length(person_phone) <= 30),
  person_email text check (person_email is null or char_length(person_email) <= 254),
  message text check (message is null or char_length(message) <= 1000),
  -- The diagnostic's version, answers and profile, attached only with the person's consent.
  diagnostic jsonb,
  consent_version text not null,
  consent_text text not null,
  consent_at timestamptz not null,
  consent_by uuid,
  consent_diagnostic boolean not null default false,
  state text not null default 'sent'
    check (state in ('sent', 'accepted', 'refused', 'expired', 'came', 'did_not_come', 'redirected')),
  refusal_reason text,
  state_message text check (state_message is null or char_length(state_message) <= 1000),
  sent_at timestamptz not null,
  answered_at timestamptz,
  closed_at timestamptz,
  reminded_at timestamptz,
  personal_data_erased_at timestamptz,
  erased_reason text check (erased_reason is null or erased_reason in ('retention', 'request'))
);
create index orientation_sender_idx on orientation (sender_structure_id, state, sent_at);
create index orientation_receiver_idx on orientation (receiver_structure_id, state, sent_at);
create index orientation_parcours_idx on orientation (parcours_id, sent_at);
create index orientation_pending_idx on orientation (sent_at) where state = 'sent';
create index orientation_purge_idx on orientation (closed_at) where personal_data_erased_at is null;

-- Every transition, with its author and time. Append-only, enforced here; it holds no personal data
-- (the refusal's message lives on the orientation and is purged with it).
create table orientation_event (
  id bigint generated always as identity primary key,
  orientation_id uuid not null references orientation (id),
  at timestamptz not null,
  from_state text,
  to_state text not null,
  actor_kind text not null check (actor_kind in ('person', 'link', 'system')),
  actor_id uuid,
  actor_label text not null,
  reason text
);
create index orientation_event_orientation_idx on orientation_event (orientation_id, id);

create function orientation_event_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'orientation_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger orientation_event_no_update_delete before update or delete on orientation_event
  for each row execute function orientation_event_refuse_change();

-- Signed single-use links mailed to a place's referral address: to answer (accept or refuse), then to
-- say whether the person came. Only the SHA-256 of the token is stored.
create table orientation_link (
  id uuid primary key,
  orientation_id uuid not null references orientation (id),
  purpose text not null check (purpose in ('answer', 'close')),
  token_hash text not null unique,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index orientation_link_orientation_idx on orientation_link (orientation_id);
