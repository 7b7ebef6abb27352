import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  databaseTables,
  domainOf,
  type Edge,
  importCycles,
  importEdges,
  ROOT,
  sourceFiles,
  tablesQueried,
  upwardImports,
} from '../test/support/architecture.ts';

// ARCHITECTURE.md's rules 0–2, checked on the source: imports run one way and never in a circle, only
// repositories (and the migrator) write SQL, and a domain reads another domain's tables only through its
// service. docs/decisions/0021-layers-and-table-ownership.md gives the floors and the owners.

const DECISION = 'docs/decisions/0021-layers-and-table-ownership.md';

/** The domain that owns each table (and view) of src/db/database.ts: the only one whose SQL names it. */
const OWNER: Readonly<Record<string, string>> = {
  schema_migration: 'db',
  app_setting: 'demo',
  person: 'accounts',
  session: 'accounts',
  one_time_token: 'accounts',
  rate_limit: 'limits',
  app_secret: 'accounts',
  structure: 'structures',
  membership: 'structures',
  join_request: 'structures',
  place: 'places',
  place_import: 'places',
  place_import_change: 'places',
  place_import_upload: 'places',
  national_place_source: 'places',
  place_import_mapping: 'places',
  place_link: 'places',
  place_merge_hidden: 'places',
  place_closure: 'places',
  place_private_contact: 'places',
  place_change: 'places',
  error_report: 'places',
  freshness_reminder: 'places',
  place_attach_request: 'places',
  commune_geometry: 'communes',
  coverage_weight: 'coverage',
  audit_log: 'audit',
  mail_outbox: 'mail',
  job_state: 'jobs',
  queued_job: 'jobs',
  usage_count: 'usage',
  diagnostic_version: 'diagnostic',
  parcours: 'referrals',
  orientation: 'referrals',
  orientation_event: 'referrals',
  orientation_link: 'referrals',
  funder: 'funders',
  funder_member: 'funders',
  funding: 'funders',
  network_message: 'messages',
  network_message_recipient: 'messages',
  callback_request: 'callbacks',
  voucher_programme: 'vouchers',
  voucher_programme_place: 'vouchers',
  voucher_programme_prescriber: 'vouchers',
  voucher_entry: 'vouchers',
  voucher_booklet: 'vouchers',
  voucher: 'vouchers',
  voucher_seal: 'vouchers',
  voucher_statement: 'vouchers',
  voucher_statement_line: 'vouchers',
  voucher_statement_payment: 'vouchers',
  activity: 'activities',
  activity_participants: 'activities',
  activity_beneficiary: 'activities',
  activity_beneficiary_link: 'activities',
  coordination_activity: 'activities',
  activity_stats_month: 'activities',
  activity_stats_pending: 'activities',
  activity_stats_structure_month: 'activities',
  activity_stats_network_month: 'activities',
  activity_stats_network_day: 'activities',
  activity_stats_structure_day: 'activities',
  activity_stats_people_day: 'activities',
  workshop: 'workshops',
  workshop_occurrence: 'workshops',
  workshop_registration: 'workshops',
  network_event: 'workshops',
  network_track: 'workshops',
  network_session: 'workshops',
  api_token: 'activities',
  funder_statistics_link: 'activities',
  resource: 'resources',
  resource_file: 'resources',
  resource_collection: 'resources',
  resource_collection_item: 'resources',
  resource_report: 'resources',
  volunteer: 'volunteers',
  mission: 'volunteers',
  mission_match: 'volunteers',
  publication_file: 'publication',
  publication_run: 'publication',
};

/**
 * Repositories allowed to name tables of another domain, each with the decision record that says why.
 * A line that no longer matches the code fails the test too: remove it with the reason that went away.
 */
const FOREIGN_TABLES: readonly { repository: string; tables: readonly string[]; decision: string }[] = [
  {
    repository: 'src/accounts/accounts.repository.ts',
    tables: ['funder', 'funder_member', 'membership', 'structure'],
    decision: DECISION,
  },
  { repository: 'src/accounts/privacy.repository.ts', tables: ['join_request'], decision: DECISION },
  {
    repository: 'src/audit/audit.repository.ts',
    tables: ['person', 'place', 'structure', 'voucher_programme'],
    decision: DECISION,
  },
  {
    repository: 'src/coverage/coverage.repository.ts',
    tables: ['commune_geometry', 'place'],
    decision: DECISION,
  },
  {
    repository: 'src/moderation/moderation.repository.ts',
    tables: ['error_report', 'place', 'place_change', 'structure'],
    decision: DECISION,
  },
  {
    repository: 'src/moderation/place-requests.repository.ts',
    tables: ['place', 'place_attach_request', 'place_change', 'structure'],
    decision: DECISION,
  },
  {
    repository: 'src/places/freshness.repository.ts',
    tables: ['membership', 'person', 'structure'],
    decision: DECISION,
  },
  {
    repository: 'src/funders/funders.repository.ts',
    tables: ['person', 'structure'],
    decision: DECISION,
  },
  { repository: 'src/places/places.repository.ts', tables: ['membership', 'structure'], decision: DECISION },
  {
    repository: 'src/places/private-contacts.repository.ts',
    tables: ['membership', 'person', 'structure'],
    decision: DECISION,
  },
  {
    repository: 'src/vouchers/vouchers.repository.ts',
    tables: ['funder', 'place', 'structure'],
    decision: 'docs/decisions/0037-pass-numerique-ledger.md',
  },
  {
    repository: 'src/vouchers/statements.repository.ts',
    tables: ['funder'],
    decision: 'docs/decisions/0045-pass-numerique-statements.md',
  },
  {
    repository: 'src/activities/statistics.repository.ts',
    tables: ['place', 'structure'],
    decision: 'docs/decisions/0052-activity-statistics.md',
  },
  {
    repository: 'src/activities/report.repository.ts',
    tables: ['place', 'structure'],
    decision: 'docs/decisions/0056-annual-report-funder-links.md',
  },
  {
    repository: 'src/structures/structure-list.repository.ts',
    tables: ['place', 'place_merge_hidden'],
    decision: DECISION,
  },
  {
    repository: 'src/structures/structures.repository.ts',
    tables: ['person', 'place', 'place_merge_hidden'],
    decision: DECISION,
  },
];

const files = sourceFiles();
const edges = importEdges(files);
const tables = databaseTables();

/** Per file, the tables it names in SQL that another domain owns (files of db/ own no domain's table). */
function foreignTables(
  table: ReadonlySet<string>,
  owner: Readonly<Record<string, string>> = OWNER,
): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of files) {
    const domain = domainOf(file) ?? (file.startsWith('src/db/') ? 'db' : null);
    const foreign = tablesQueried(file, table).filter((t) => owner[t] !== domain);
    if (foreign.length) found.set(file, foreign);
  }
  return found;
}

describe('imports run one way (ARCHITECTURE.md rule 0)', () => {
  it('never climbs a floor: nothing imports a file standing above it', () => {
    assert.ok(edges.length > 300, `read ${edges.length} imports`);
    const up = upwardImports(files, edges);
    assert.deepEqual(up, [], `imports against the floors of ${DECISION}:\n${up.join('\n')}`);
  });

  it('never goes round in a circle, type imports included', () => {
    const cycles = importCycles(edges);
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
  });

  it('reports an upward import and a cycle by file, with their floors', () => {
    const drifted: Edge[] = [
      ...edges,
      { from: 'src/places/places.repository.ts', to: 'src/places/places.service.ts' },
      { from: 'src/db/migrate.ts', to: 'src/places/places.ts' },
      { from: 'src/search/needs.ts', to: 'src/search/search.ts' },
    ];
    assert.deepEqual(upwardImports([...files, 'src/extra.ts'], drifted), [
      'src/extra.ts: on no floor (place it in FLOORS)',
      'src/places/places.repository.ts (repositories) imports src/places/places.service.ts (services)',
      'src/db/migrate.ts (db/) imports src/places/places.ts (pure domain files)',
    ]);
    // search.ts imports needs.ts: the added edge closes a circle, and so does the repository's.
    // (public-places.service.ts stands between them, reading the repository for places.service.ts.)
    assert.deepEqual(importCycles(drifted), [
      'src/places/places.repository.ts ↔ src/places/places.service.ts ↔ src/places/public-places.service.ts',
      'src/search/needs.ts ↔ src/search/search.ts',
    ]);
  });
});

describe('tables and who queries them (ARCHITECTURE.md rules 1 and 2)', () => {
  it('gives every table and view of database.ts one owning domain', () => {
    assert.deepEqual(Object.keys(OWNER).sort(), tables);
  });

  it('lets only repositories and db/ write SQL', () => {
    const elsewhere = files.filter(
      (f) =>
        !/\.repository\.ts$/.test(f) && !f.startsWith('src/db/') && tablesQueried(f, new Set(tables)).length,
    );
    assert.deepEqual(elsewhere, []);
  });

  it("reads another domain's tables only where a decision record says why", () => {
    const allowed = new Map(FOREIGN_TABLES.map((e) => [e.repository, e.tables.join(', ')]));
    const actual = new Map([...foreignTables(new Set(tables))].map(([f, t]) => [f, t.join(', ')]));
    assert.deepEqual(
      actual,
      allowed,
      'a repository names a table of another domain (call its service instead), or FOREIGN_TABLES lists one it no longer does',
    );
    for (const { repository, tables: names, decision } of FOREIGN_TABLES) {
      const text = fs.readFileSync(path.join(ROOT, decision), 'utf8');
      const line = text.split('\n').find((l) => l.includes(`\`${repository.replace(/^src\//, '')}\``)) ?? '';
      for (const table of names)
        assert.ok(line.includes(`\`${table}\``), `${decision} explains why ${repository} reads ${table}`);
    }
  });

  it('finds tables in Kysely calls, in destructured builders and in raw SQL, and flags foreign ones', () => {
    const names = new Set(tables);
    assert.deepEqual(tablesQueried('src/places/freshness.repository.ts', names), [
      'freshness_reminder',
      'membership',
      'person',
      'place',
      'place_change', // selectFrom destructured from the expression builder
      'place_merge_hidden', // only in a sql`…` fragment
      'structure',
    ]);
    const moved = foreignTables(names, { ...OWNER, freshness_reminder: 'structures' });
    assert.deepEqual(moved.get('src/places/freshness.repository.ts'), [
      'freshness_reminder',
      'membership',
      'person',
      'structure',
    ]);
  });
});

/**
 * Files over 800 lines mix reasons to change. String catalogues and demonstration data are exempt (they
 * are lists); the files still waiting to be split are listed, and the list only shrinks.
 */
const MAX_LINES = 800;
const TOO_LONG_FOR_NOW = new Set<string>([]);

describe('files of one reason to change', () => {
  const exempt = (file: string) => /\/demo\/|strings|catalogue/.test(file);
  const lines = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1;

  it(`keeps every source file under ${MAX_LINES} lines (string catalogues and demonstration data aside)`, () => {
    const long = sourceFiles()
      .filter((f) => !exempt(f) && !TOO_LONG_FOR_NOW.has(f) && lines(f) > MAX_LINES)
      .map((f) => `${f}: ${lines(f)} lines`);
    assert.deepEqual(long, []);
  });

  it('lists as waiting only files that are still too long', () => {
    assert.deepEqual(
      [...TOO_LONG_FOR_NOW].filter((f) => !fs.existsSync(path.join(ROOT, f)) || lines(f) <= MAX_LINES),
      [],
      'remove these from TOO_LONG_FOR_NOW',
    );
  });
});
