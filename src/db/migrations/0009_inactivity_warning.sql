-- An account without activity is warned by mail before the privacy purge deletes it (issue 5 §9): the
-- date of that warning. Cleared by the next sign-in.
alter table person add column inactivity_warned_at timestamptz;
