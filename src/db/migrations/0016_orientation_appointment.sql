-- The answer of a receiving place can carry an appointment for the person: a day, a time, with whom.
-- It is personal (it tells where and when she will be): blanked with the other personal fields by the
-- purge and by erasure on request. Forward-only: never edit an applied migration, add a new file.
alter table orientation
  add column appointment_date date,
  add column appointment_time text
    check (appointment_time is null or appointment_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  add column appointment_with text
    check (appointment_with is null or char_length(appointment_with) <= 120);

-- Orientations waiting for an answer, oldest first, per receiving structure (home blocks).
create index orientation_waiting_receiver_idx on orientation (receiver_structure_id, sent_at)
  where state = 'sent';
