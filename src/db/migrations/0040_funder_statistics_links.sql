-- Read-only links to a funder's activity statistics (decision 0056): a coordinator gives a funder a
-- link that opens its statistics page without an account. Only the SHA-256 of the secret is kept (as
-- for API tokens, decision 0040); a link expires on its day and may be revoked at any time. Every
-- opening is written in the audit log. Forward-only: never edit an applied migration, add a new file.
CREATE TABLE funder_statistics_link (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  funder_id uuid NOT NULL REFERENCES funder (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  secret_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_by uuid REFERENCES person (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_by uuid REFERENCES person (id) ON DELETE SET NULL,
  last_opened_at timestamptz
);
CREATE INDEX funder_statistics_link_funder ON funder_statistics_link (funder_id, created_at DESC);
