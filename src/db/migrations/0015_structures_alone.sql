-- Structures that work alone: they propose new places and ask to attach existing ones; the
-- coordinator decides in the moderation queue. A structure has a contact. Forward-only.

-- A new place proposed by a structure is a place_change without a place until it is approved: its
-- `proposed` holds every public value, its `base` the empty values; approving creates the place and
-- writes its id here. An edit always names its place.
alter table place_change alter column place_id drop not null;
alter table place_change add column kind text not null default 'edit'
  check (kind in ('edit', 'new_place'));
alter table place_change add constraint place_change_edit_has_place
  check (kind = 'new_place' or place_id is not null);
create index place_change_structure_idx on place_change (structure_id, status);

-- A structure asks to attach a place already in the directory (imported with another SIRET, or
-- without any); the coordinator approves (the place then belongs to the structure) or refuses.
create table place_attach_request (
  id uuid primary key default gen_random_uuid(),
  place_id uuid not null references place (id) on delete cascade,
  structure_id uuid not null references structure (id) on delete cascade,
  requested_by uuid,
  requested_by_label text not null,
  message text check (message is null or char_length(message) <= 1000),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  created_at timestamptz not null default now(),
  decided_by uuid,
  decided_at timestamptz,
  decision_message text check (decision_message is null or char_length(decision_message) <= 2000)
);
create unique index place_attach_request_one_pending on place_attach_request (place_id, structure_id)
  where status = 'pending';
create index place_attach_request_queue_idx on place_attach_request (status, created_at);

-- Who to call or write to about a structure (the coordinator's list, the home page).
alter table structure add column contact_email text
  check (contact_email is null or (char_length(contact_email) <= 254 and contact_email like '%_@_%'));
alter table structure add column contact_phone text
  check (contact_phone is null or char_length(contact_phone) <= 30);
