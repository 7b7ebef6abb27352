-- The pass numérique's end of validity (decision 0050): after the grace period every voucher without a
-- live redemption expires (one ledger entry each, append-only like every entry), and a credit note
-- (avoir) for the face value of the expired vouchers whose emission the funder paid is drawn up, as a
-- statement of kind 'credit_note' (decision 0045) whose lines name the expiry entries.
-- Forward-only: never edit an applied migration, add a new file.

-- A ledger fact more: a voucher's expiry (its face value copied, no place, no booklet).
alter table voucher_entry drop constraint voucher_entry_kind_check;
alter table voucher_entry add constraint voucher_entry_kind_check check (kind in (
  'emission', 'payment', 'allocation', 'distribution', 'booklet_cancellation',
  'redemption', 'redemption_cancellation', 'expiry'));
alter table voucher_entry drop constraint voucher_entry_shape;
alter table voucher_entry add constraint voucher_entry_shape check (
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
    when 'expiry' then voucher_id is not null and amount_cents is not null and booklet_id is null
      and place_id is null
  end);
-- A voucher expires once.
create unique index voucher_entry_expiry_key on voucher_entry (voucher_id) where kind = 'expiry';

-- No voucher is both redeemed and expired, whatever the application does: a redemption takes a shared
-- per-programme lock and refuses an expired voucher; an expiry (which the service writes under the same
-- lock, exclusive) refuses a voucher with a redemption not cancelled. Redemptions never wait for each
-- other (the lock is shared); they wait only while a programme's expiry is being written.
create function voucher_entry_expiry_guard() returns trigger language plpgsql as $$
begin
  if new.kind = 'redemption' then
    perform pg_advisory_xact_lock_shared(hashtext('voucher_expiry:' || new.programme_id::text));
    if exists (select 1 from voucher_entry e where e.voucher_id = new.voucher_id and e.kind = 'expiry') then
      raise exception 'voucher_entry: voucher % has expired', new.voucher_id
        using errcode = 'check_violation', constraint = 'voucher_entry_expired';
    end if;
  elsif new.kind = 'expiry' then
    if exists (select 1 from voucher_entry r where r.voucher_id = new.voucher_id and r.kind = 'redemption'
        and not exists (select 1 from voucher_entry c where c.cancels_entry_id = r.id)) then
      raise exception 'voucher_entry: voucher % is redeemed, it cannot expire', new.voucher_id
        using errcode = 'check_violation', constraint = 'voucher_entry_expired';
    end if;
  end if;
  return new;
end;
$$;
create trigger voucher_entry_expiry_guard before insert on voucher_entry
  for each row when (new.kind in ('redemption', 'expiry')) execute function voucher_entry_expiry_guard();

-- A credit note's lines are expiries: positive, without a place.
alter table voucher_statement_line drop constraint voucher_statement_line_kind_check;
alter table voucher_statement_line add constraint voucher_statement_line_kind_check
  check (kind in ('redemption', 'redemption_cancellation', 'expiry'));
alter table voucher_statement_line drop constraint voucher_statement_line_sign;
alter table voucher_statement_line add constraint voucher_statement_line_sign check (
  (kind = 'redemption' and amount_cents > 0) or (kind = 'redemption_cancellation' and amount_cents < 0)
  or (kind = 'expiry' and amount_cents > 0));
alter table voucher_statement_line alter column place_id drop not null;
alter table voucher_statement_line add constraint voucher_statement_line_place
  check (place_id is not null or kind = 'expiry');
-- One credit note per programme, ever (expiring twice writes nothing).
create unique index voucher_statement_credit_note_key on voucher_statement (programme_id)
  where kind = 'credit_note';

-- When the prescribers were told that distribution is closed (once per programme).
alter table voucher_programme add column distribution_closed_notice_at timestamptz;
