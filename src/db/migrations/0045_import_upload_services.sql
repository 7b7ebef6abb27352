-- Web imports of a national system's files (decision 0055, addendum): the layout the coordinator chose or
-- the upload detected (the national map's export, or data·inclusion's files), and data·inclusion's
-- services file, uploaded with its structures in one form and kept with them (content and hash) for the
-- same 24 hours, so that the dry run and the import read both, exactly as they were checked.
-- Forward-only: never edit an applied migration, add a new file.

alter table place_import_upload
  add column layout text check (layout is null or layout in ('national', 'data-inclusion')),
  add column services_file_name text
    check (services_file_name is null or char_length(services_file_name) between 1 and 255),
  add column services_sha256 text check (services_sha256 is null or services_sha256 ~ '^[0-9a-f]{64}$'),
  add column services_content bytea;

-- A services file comes whole (name, hash, content), and only with data·inclusion's structures.
alter table place_import_upload add constraint place_import_upload_services_whole check (
  (services_content is null) = (services_file_name is null)
  and (services_content is null) = (services_sha256 is null)
  and (services_content is null or layout = 'data-inclusion')
);
