-- The resource bank (decision 0042, addendum): a report is closed ("traité") by the sharing structure
-- with a short answer, which the reporter and the network's members read on the resource's page.
-- Forward-only: never edit an applied migration.

alter table resource_report
  add column answer text check (answer is null or char_length(answer) between 1 and 500),
  -- Who closed it; the answer outlives their account.
  add column closed_by uuid references person (id) on delete set null;
create index resource_report_closed_idx on resource_report (resource_id, closed_at) where state = 'closed';
