-- The pass numérique's monthly statements (decision 0045): what each qualified place is owed for the
-- vouchers redeemed in a month, the funder's statement summing them, and the payments the funder records.
-- A statement is written once, whole, when it is issued; afterwards only its settled amount grows (by a
-- payment). Credit notes (end of validity) will be rows of the same table with kind 'credit_note'.
-- Forward-only: never edit an applied migration, add a new file.

create table voucher_statement (
  id uuid primary key default gen_random_uuid(),
  programme_id uuid not null references voucher_programme (id) on delete restrict,
  kind text not null default 'statement' check (kind in ('statement', 'credit_note')),
  -- A place's statement (what the place is owed), or the funder's (the sum of the places' of the month).
  scope text not null check (scope in ('place', 'funder')),
  -- The month, as its first day (months in Europe/Paris time).
  month date not null check (extract(day from month) = 1),
  -- The place and its structure (the payee) by id without a foreign key, as in the ledger: their names,
  -- the structure's SIRET and whether it is a public body are copied in `payee`.
  place_id uuid,
  structure_id uuid,
  payee jsonb not null default '{}',
  -- Signed: cancellations of redemptions paid in an earlier statement are negative lines.
  total_cents bigint not null,
  line_count integer not null check (line_count >= 0),
  -- What the funder paid so far; never more than what is owed (a negative total owes nothing).
  settled_cents bigint not null default 0,
  issued_at timestamptz not null default now(),
  constraint voucher_statement_scope check (
    (scope = 'place' and place_id is not null and structure_id is not null)
    or (scope = 'funder' and place_id is null and structure_id is null and settled_cents = 0)),
  constraint voucher_statement_settled check (settled_cents >= 0 and settled_cents <= greatest(total_cents, 0)),
  -- The funder's statement's id and programme for the lines' foreign key.
  constraint voucher_statement_identity unique (id, programme_id)
);
-- One statement of a kind per place and month, one funder's statement per programme and month.
create unique index voucher_statement_place_key on voucher_statement (programme_id, kind, month, place_id)
  where scope = 'place';
create unique index voucher_statement_funder_key on voucher_statement (programme_id, kind, month)
  where scope = 'funder';
create index voucher_statement_structure_idx on voucher_statement (structure_id, month);

-- A statement's lines: one redemption (positive) or one cancellation of a redemption stated earlier
-- (negative). A ledger entry is on one statement line at most, ever: no voucher is paid twice.
create table voucher_statement_line (
  id bigint generated always as identity primary key,
  statement_id uuid not null,
  programme_id uuid not null,
  entry_id bigint not null references voucher_entry (id),
  kind text not null check (kind in ('redemption', 'redemption_cancellation')),
  voucher_id uuid not null,
  place_id uuid not null,
  amount_cents bigint not null,
  -- When the entry was recorded (its month decides its statement).
  recorded_at timestamptz not null,
  constraint voucher_statement_line_entry_key unique (entry_id),
  constraint voucher_statement_line_sign check (
    (kind = 'redemption' and amount_cents > 0) or (kind = 'redemption_cancellation' and amount_cents < 0)),
  constraint voucher_statement_line_statement foreign key (statement_id, programme_id)
    references voucher_statement (id, programme_id)
);
create index voucher_statement_line_statement_idx on voucher_statement_line (statement_id, id);
create index voucher_statement_line_voucher_idx on voucher_statement_line (voucher_id);

-- The funder's payments of a place's statement. A reference is never reused by one funder.
create table voucher_statement_payment (
  id bigint generated always as identity primary key,
  statement_id uuid not null,
  programme_id uuid not null,
  funder_id uuid not null,
  amount_cents bigint not null check (amount_cents > 0),
  paid_on date not null,
  reference text not null check (char_length(reference) between 1 and 100),
  actor_id uuid,
  created_at timestamptz not null default now(),
  constraint voucher_statement_payment_statement foreign key (statement_id, programme_id)
    references voucher_statement (id, programme_id)
);
create unique index voucher_statement_payment_reference_key on voucher_statement_payment (funder_id, reference);
create index voucher_statement_payment_statement_idx on voucher_statement_payment (statement_id, id);

-- Immutable once issued: lines and payments are never changed nor deleted; a statement's only change is
-- its settled amount growing. Demonstration programmes' rows may be deleted (`demo remove`).
create function voucher_statement_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if exists (select 1 from voucher_programme p where p.id = old.programme_id and p.is_demo) then
      return old;
    end if;
    raise exception '% is immutable once issued: DELETE refused', tg_table_name using errcode = 'insufficient_privilege';
  end if;
  if tg_table_name = 'voucher_statement'
      and (to_jsonb(new) - 'settled_cents') = (to_jsonb(old) - 'settled_cents')
      and new.settled_cents >= old.settled_cents then
    return new;
  end if;
  raise exception '% is immutable once issued: UPDATE refused', tg_table_name using errcode = 'insufficient_privilege';
end;
$$;
create trigger voucher_statement_immutable before update or delete on voucher_statement
  for each row execute function voucher_statement_guard();
create trigger voucher_statement_no_truncate before truncate on voucher_statement
  for each statement execute function voucher_ledger_refuse_truncate();
create trigger voucher_statement_line_immutable before update or delete on voucher_statement_line
  for each row execute function voucher_statement_guard();
create trigger voucher_statement_line_no_truncate before truncate on voucher_statement_line
  for each statement execute function voucher_ledger_refuse_truncate();
create trigger voucher_statement_payment_immutable before update or delete on voucher_statement_payment
  for each row execute function voucher_statement_guard();
create trigger voucher_statement_payment_no_truncate before truncate on voucher_statement_payment
  for each statement execute function voucher_ledger_refuse_truncate();
