-- The needs diagnostic's questionnaires (issue 7 §1). Questions, levels and rules are data: each version
-- is a JSON document (src/diagnostic/questionnaire.schema.json), kept exactly as uploaded (text, not
-- jsonb, so that the download gives back the same bytes). A person's answers are never stored here:
-- they travel in the page, with the number of the version they answer.
-- Forward-only: never edit an applied migration, add a new file.

create table diagnostic_version (
  version integer primary key check (version >= 1 and version <= 999999),
  document text not null check (char_length(document) <= 200000),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  title text not null check (char_length(title) between 1 and 200),
  question_count integer not null check (question_count >= 1),
  created_at timestamptz not null default now(),
  -- A person id without a foreign key: deleting an account never rewrites who uploaded a version.
  created_by uuid,
  created_by_label text not null,
  -- The active version is the one activated last; null: never activated.
  activated_at timestamptz,
  activated_by uuid
);
create index diagnostic_version_activated_idx on diagnostic_version (activated_at desc)
  where activated_at is not null;

-- A result names its version and must read the same questions tomorrow: a version's document never
-- changes and no version is ever deleted. Only its activation may be updated.
create function diagnostic_version_refuse_change() returns trigger language plpgsql as $$
begin
  if tg_op <> 'UPDATE' then
    raise exception 'diagnostic_version: a version is never removed (% refused)', tg_op
      using errcode = 'insufficient_privilege';
  end if;
  if new.version <> old.version or new.document <> old.document or new.sha256 <> old.sha256 then
    raise exception 'diagnostic_version: a version never changes; upload a new one'
      using errcode = 'insufficient_privilege';
  end if;
  return new;
end;
$$;
create trigger diagnostic_version_immutable before update or delete on diagnostic_version
  for each row execute function diagnostic_version_refuse_change();
create trigger diagnostic_version_no_truncate before truncate on diagnostic_version
  for each statement execute function diagnostic_version_refuse_change();
