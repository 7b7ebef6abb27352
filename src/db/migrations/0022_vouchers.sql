-- The pass numérique (decision 0037): a funder's programme of vouchers (chèques) in booklets, handed by
-- prescribers to residents and redeemed by qualified places. Maillage never holds money: it records what
-- the funder paid and what each place is owed, in a ledger that the database itself keeps append-only.
-- Forward-only: never edit an applied migration, add a new file.

create table voucher_programme (
  id uuid primary key default gen_random_uuid(),
  funder_id uuid not null references funder (id) on delete restrict,
  name text not null check (char_length(name) between 1 and 200),
  face_value_cents integer not null check (face_value_cents between 1 and 100000),
  -- 5 or 10 vouchers a booklet.
  booklet_size integer not null check (booklet_size between 5 and 10 and booklet_size % 5 = 0),
  -- Vouchers pay for help given from valid_from to valid_until (included); places record a redemption
  -- until valid_until + grace_days, then it is refused.
  valid_from date not null,
  valid_until date not null,
  grace_days integer not null default 31 check (grace_days between 0 and 366),
  -- Where eligible residents live, in the territory grammar (shared/territory.ts).
  perimeter text not null check (char_length(perimeter) between 2 and 2000),
  publics text[] not null default '{}',
  budget_cents bigint not null check (budget_cents between 1 and 100000000000),
  -- The funder's confirmation of budget and validity: nothing is emitted before it.
  confirmed_at timestamptz,
  confirmed_by uuid,
  created_by uuid,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint voucher_programme_dates check (valid_until >= valid_from)
);
create index voucher_programme_funder_idx on voucher_programme (funder_id);

-- What the funder confirmed cannot change afterwards, and a programme never becomes a demonstration one
-- (only demonstration ledgers may be deleted).
create function voucher_programme_guard() returns trigger language plpgsql as $$
begin
  if new.is_demo <> old.is_demo or new.funder_id <> old.funder_id then
    raise exception 'voucher_programme: is_demo and funder_id never change' using errcode = 'insufficient_privilege';
  end if;
  if old.confirmed_at is not null and (
      new.face_value_cents <> old.face_value_cents or new.booklet_size <> old.booklet_size
      or new.valid_from <> old.valid_from or new.valid_until <> old.valid_until or new.grace_days <> old.grace_days
      or new.budget_cents <> old.budget_cents or new.perimeter <> old.perimeter
      or new.confirmed_at is distinct from old.confirmed_at) then
    raise exception 'voucher_programme: confirmed terms never change' using errcode = 'insufficient_privilege';
  end if;
  return new;
end;
$$;
create trigger voucher_programme_guard before update on voucher_programme
  for each row execute function voucher_programme_guard();

-- Places where vouchers are redeemed, each with its structure (whose staff redeem), and prescribers.
create table voucher_programme_place (
  programme_id uuid not null references voucher_programme (id) on delete cascade,
  place_id uuid not null references place (id) on delete cascade,
  structure_id uuid not null references structure (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (programme_id, place_id)
);
create index voucher_programme_place_structure_idx on voucher_programme_place (structure_id);

create table voucher_programme_prescriber (
  programme_id uuid not null references voucher_programme (id) on delete cascade,
  structure_id uuid not null references structure (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (programme_id, structure_id)
);
create index voucher_programme_prescriber_structure_idx on voucher_programme_prescriber (structure_id);

-- The ledger. Every fact is one row, never changed nor deleted (triggers below): an emission, the
-- funder's payment for it, a booklet's allocation to a prescriber, its hand-over to a person, its
-- cancellation (lost, stolen), a voucher's redemption by a place, and the cancellation of a redemption.
-- States and balances are derived from these rows. People, places and structures are kept by id without
-- a foreign key (as in the audit log), their names copied in `details`, so that the ledger outlives them.
create table voucher_entry (
  id bigint generated always as identity primary key,
  programme_id uuid not null references voucher_programme (id) on delete restrict,
  kind text not null check (kind in (
    'emission', 'payment', 'allocation', 'distribution', 'booklet_cancellation',
    'redemption', 'redemption_cancellation')),
  booklet_id uuid,
  voucher_id uuid,
  structure_id uuid,
  place_id uuid,
  amount_cents bigint check (amount_cents is null or amount_cents >= 0),
  -- A payment's reference (a mandate, a transfer): never twice in a programme.
  reference text check (reference is null or char_length(reference) between 1 and 100),
  -- A payment pays one emission.
  pays_entry_id bigint references voucher_entry (id),
  -- A cancellation compensates one redemption of the same voucher, once (foreign key below).
  cancels_entry_id bigint unique,
  -- What a cancellation may cancel: a redemption, nothing else (the foreign key below compares kinds).
  cancels_kind text generated always as (case when cancels_entry_id is not null then 'redemption' end) stored,
  -- A voucher's redemption after a cancelled one names it: the database then knows the earlier one was
  -- cancelled and was of the same voucher (foreign key to the cancellation), and allows one redemption
  -- per voucher per chain link.
  previous_redemption_id bigint,
  -- The request's key, so that a retried request gets the first answer.
  idempotency_key text check (idempotency_key is null or char_length(idempotency_key) between 8 and 100),
  actor_id uuid,
  details jsonb not null default '{}',
  created_at timestamptz not null default now(),
  constraint voucher_entry_shape check (
    case kind
      when 'emission' then amount_cents is not null and booklet_id is null and voucher_id is null
      when 'payment' then amount_cents is not null and reference is not null and pays_entry_id is not null
      when 'allocation' then booklet_id is not null and structure_id is not null
      when 'distribution' then booklet_id is not null and structure_id is not null
      when 'booklet_cancellation' then booklet_id is not null
      when 'redemption' then voucher_id is not null and booklet_id is not null and place_id is not null
        and structure_id is not null and amount_cents is not null
      when 'redemption_cancellation' then cancels_entry_id is not null and voucher_id is not null
        and amount_cents is not null
    end),
  constraint voucher_entry_identity unique (id, voucher_id, kind),
  constraint voucher_entry_cancellation_identity unique (cancels_entry_id, voucher_id),
  constraint voucher_entry_cancels_redemption foreign key (cancels_entry_id, voucher_id, cancels_kind)
    references voucher_entry (id, voucher_id, kind),
  constraint voucher_entry_follows_cancelled foreign key (previous_redemption_id, voucher_id)
    references voucher_entry (cancels_entry_id, voucher_id),
  constraint voucher_entry_links check (
    (cancels_entry_id is null or kind = 'redemption_cancellation')
    and (previous_redemption_id is null or kind = 'redemption')
    and (pays_entry_id is null or kind = 'payment'))
);
create index voucher_entry_programme_idx on voucher_entry (programme_id, id);
create index voucher_entry_booklet_idx on voucher_entry (booklet_id, kind) where booklet_id is not null;
create index voucher_entry_voucher_idx on voucher_entry (voucher_id, id) where voucher_id is not null;
create index voucher_entry_place_idx on voucher_entry (place_id, created_at) where place_id is not null;
-- At most one redemption that was never cancelled, per voucher: one first redemption, and one successor
-- to each cancelled one (the database's guarantee, whatever the application does).
create unique index voucher_entry_first_redemption_key on voucher_entry (voucher_id)
  where kind = 'redemption' and previous_redemption_id is null;
create unique index voucher_entry_next_redemption_key on voucher_entry (previous_redemption_id)
  where previous_redemption_id is not null;
create unique index voucher_entry_payment_reference_key on voucher_entry (programme_id, reference)
  where kind = 'payment';
create unique index voucher_entry_payment_key on voucher_entry (pays_entry_id) where kind = 'payment';
create unique index voucher_entry_allocation_key on voucher_entry (booklet_id) where kind = 'allocation';
create unique index voucher_entry_distribution_key on voucher_entry (booklet_id) where kind = 'distribution';
create unique index voucher_entry_booklet_cancellation_key on voucher_entry (booklet_id)
  where kind = 'booklet_cancellation';
create unique index voucher_entry_idempotency_key on voucher_entry (idempotency_key)
  where idempotency_key is not null;

-- Booklets and their vouchers, written once by an emission. A voucher's code is its only secret.
create table voucher_booklet (
  id uuid primary key default gen_random_uuid(),
  programme_id uuid not null references voucher_programme (id) on delete restrict,
  emission_entry_id bigint not null references voucher_entry (id),
  number integer not null check (number >= 1),
  created_at timestamptz not null default now(),
  unique (programme_id, number)
);
create index voucher_booklet_emission_idx on voucher_booklet (emission_entry_id);

create table voucher (
  id uuid primary key default gen_random_uuid(),
  programme_id uuid not null references voucher_programme (id) on delete restrict,
  booklet_id uuid not null references voucher_booklet (id) on delete restrict,
  position integer not null check (position between 1 and 10),
  -- 13 Crockford base32 characters (65 random bits) and a check character, without separators.
  code text not null unique check (code ~ '^[0-9A-HJKMNP-TV-Z]{14}$'),
  unique (booklet_id, position)
);
create index voucher_programme_idx on voucher (programme_id);

-- Tamper evidence (decision 0037): a sealing job chains the entries of each programme, in the order it
-- seals them, within seconds of their writing: each seal's hash covers the entry and the previous seal.
create table voucher_seal (
  programme_id uuid not null references voucher_programme (id) on delete restrict,
  position bigint not null check (position >= 1),
  entry_id bigint not null unique references voucher_entry (id),
  previous_hash text not null check (previous_hash ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  sealed_at timestamptz not null default now(),
  primary key (programme_id, position)
);

-- Append-only, in the database: no UPDATE, no DELETE, no TRUNCATE on the ledger, its booklets, vouchers
-- and seals — except DELETE of a demonstration programme's rows (`demo remove`), and nothing else.
create function voucher_ledger_refuse_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and exists (
      select 1 from voucher_programme p where p.id = old.programme_id and p.is_demo) then
    return old;
  end if;
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end;
$$;
create function voucher_ledger_refuse_truncate() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: TRUNCATE refused', tg_table_name using errcode = 'insufficient_privilege';
end;
$$;
create trigger voucher_entry_append_only before update or delete on voucher_entry
  for each row execute function voucher_ledger_refuse_change();
create trigger voucher_entry_no_truncate before truncate on voucher_entry
  for each statement execute function voucher_ledger_refuse_truncate();
create trigger voucher_booklet_append_only before update or delete on voucher_booklet
  for each row execute function voucher_ledger_refuse_change();
create trigger voucher_booklet_no_truncate before truncate on voucher_booklet
  for each statement execute function voucher_ledger_refuse_truncate();
create trigger voucher_append_only before update or delete on voucher
  for each row execute function voucher_ledger_refuse_change();
create trigger voucher_no_truncate before truncate on voucher
  for each statement execute function voucher_ledger_refuse_truncate();
create trigger voucher_seal_append_only before update or delete on voucher_seal
  for each row execute function voucher_ledger_refuse_change();
create trigger voucher_seal_no_truncate before truncate on voucher_seal
  for each statement execute function voucher_ledger_refuse_truncate();

-- A programme with ledger rows is deleted only when it is a demonstration one (the rows go first).
create function voucher_programme_refuse_delete() returns trigger language plpgsql as $$
begin
  if old.is_demo then return old; end if;
  raise exception 'voucher_programme: only demonstration programmes are deleted' using errcode = 'insufficient_privilege';
end;
$$;
create trigger voucher_programme_no_delete before delete on voucher_programme
  for each row execute function voucher_programme_refuse_delete();
