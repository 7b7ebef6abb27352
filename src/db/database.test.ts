import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  compareRowTypes,
  DATABASE_TS,
  readRowTypes,
  readSchema,
  type SqlModel,
  type TsModel,
} from '../../test/support/row-types.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';

// One migrated database (PGlite, or PostgreSQL under test:pg) and one read of database.ts for the file.
let schema: SqlModel;
let types: TsModel;
before(async () => {
  const t = await createTestDb();
  try {
    schema = await readSchema(t.db);
  } finally {
    await t.close();
  }
  types = readRowTypes();
});
after(closeTestTemplate);

describe('row types of src/db/database.ts', () => {
  it('match the migrated schema: every table, column, nullability, type, default and allowed value', () => {
    assert.ok(
      schema.size > 20 && types.size > 20,
      `read ${schema.size} relations and ${types.size} row types`,
    );
    const differences = compareRowTypes(types, schema);
    assert.deepEqual(differences, [], `database.ts and the migrations differ:\n${differences.join('\n')}`);
  });

  it('reads the row types as Kysely sees them (select type, null, literals, what an insert may omit)', () => {
    assert.deepEqual(types.get('place')?.get('latitude'), {
      kind: 'number',
      nullable: true,
      literals: null,
      insertOptional: true,
      insertNever: false,
      text: 'number | null',
      problem: null,
    });
    assert.deepEqual(types.get('mail_outbox')?.get('status'), {
      ...types.get('mail_outbox')?.get('status'),
      kind: 'string',
      literals: ['failed', 'pending', 'sent'],
    });
    assert.equal(types.get('place')?.get('services')?.kind, 'string[]');
    assert.equal(types.get('place')?.get('created_at')?.kind, 'Date');
    assert.equal(types.get('place_import')?.get('counts')?.kind, 'json');
    assert.equal(schema.get('mail_outbox')?.columns.get('status')?.allowed?.join(), 'failed,pending,sent');
  });

  it('names each difference by table.column when a row type drifts from the schema', () => {
    const source = fs.readFileSync(DATABASE_TS, 'utf8');
    const drifted = source
      // a nullable column declared not null, a number declared string, a literal left out
      .replace('  code_insee: string | null;\n', '  code_insee: string;\n')
      .replace('  ref_lat: number;\n', '  ref_lat: string;\n')
      .replace(
        "  network_role: 'coordinator' | 'funder' | 'volunteer' | null;\n",
        "  network_role: 'coordinator' | null;\n  nickname: string;\n",
      )
      // an optional insert without a default in SQL, and a table the schema does not have
      .replace('  token_hash: string;\n  purpose:', '  token_hash: Generated<string>;\n  purpose:')
      .replace('export interface Database {\n', 'export interface Database {\n  ghost: { id: string };\n')
      // a table of the schema left out
      .replace('  coverage_weight: CoverageWeightTable;\n', '');
    assert.notEqual(drifted, source);
    const found = compareRowTypes(readRowTypes(DATABASE_TS, drifted), schema);
    const where = found.map((line) => line.slice(0, line.indexOf(':')));
    assert.deepEqual(
      where,
      [
        'coverage_weight',
        'commune_geometry.ref_lat',
        'ghost',
        'one_time_token.token_hash',
        'person.network_role',
        'person.nickname',
        'place.code_insee',
      ].sort(),
      found.join('\n'),
    );
  });
});
