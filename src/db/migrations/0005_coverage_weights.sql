-- Need weights per commune for the coverage analysis (issue 6): e.g. a digital-fragility index. The
-- analysis weighs a commune's population by it; with no row at all, population alone counts.
create table coverage_weight (
  code text primary key,
  weight double precision not null check (weight >= 0 and weight <= 1000),
  imported_at timestamptz not null default now()
);
