-- Once a programme's credit note exists (its end of validity, decision 0050), its ledger is closed: no
-- emission, payment, allocation, distribution, booklet cancellation, redemption or cancellation of a
-- redemption may be written for it any more. Without this, a redemption cancelled after the expiry left
-- its voucher neither redeemed nor expired, a late payment made expired vouchers "paid" on no credit
-- note, and a late emission made vouchers that never expire. Every entry takes the shared per-programme
-- lock the expiry takes exclusively, so nothing slips in while the expiry and its credit note are being
-- written. The places' statements are still paid afterwards (they are not ledger entries).
-- Forward-only: never edit an applied migration, add a new file.

create or replace function voucher_entry_expiry_guard() returns trigger language plpgsql as $$
begin
  if new.kind = 'expiry' then
    if exists (select 1 from voucher_entry r where r.voucher_id = new.voucher_id and r.kind = 'redemption'
        and not exists (select 1 from voucher_entry c where c.cancels_entry_id = r.id)) then
      raise exception 'voucher_entry: voucher % is redeemed, it cannot expire', new.voucher_id
        using errcode = 'check_violation', constraint = 'voucher_entry_expired';
    end if;
    return new;
  end if;
  perform pg_advisory_xact_lock_shared(hashtext('voucher_expiry:' || new.programme_id::text));
  if new.kind = 'redemption'
      and exists (select 1 from voucher_entry e where e.voucher_id = new.voucher_id and e.kind = 'expiry') then
    raise exception 'voucher_entry: voucher % has expired', new.voucher_id
      using errcode = 'check_violation', constraint = 'voucher_entry_expired';
  end if;
  if exists (select 1 from voucher_statement s where s.programme_id = new.programme_id
      and s.kind = 'credit_note') then
    raise exception 'voucher_entry: programme % is closed (credit note drawn up)', new.programme_id
      using errcode = 'check_violation', constraint = 'voucher_programme_closed';
  end if;
  return new;
end;
$$;

drop trigger voucher_entry_expiry_guard on voucher_entry;
create trigger voucher_entry_expiry_guard before insert on voucher_entry
  for each row execute function voucher_entry_expiry_guard();
