-- The network's figures of use (searches, place pages viewed, diagnostics finished, orientations sent):
-- counted in memory by each app server, per day and kind, and added here once a minute. No address, no
-- cookie, no identifier: a day, a kind and a number.
create table usage_count (
  day date not null,
  kind text not null,
  count integer not null check (count >= 0),
  primary key (day, kind)
);
