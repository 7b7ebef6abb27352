import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { foldForSearch } from '../shared/text.ts';
import { foldedSql } from './fold.ts';

after(closeTestTemplate);

describe('one fold for name searches, in TypeScript and in SQL', () => {
  it('folds stored names in SQL exactly as it folds what people type', async () => {
    const names = [
      'Médiathèque  Saint-Jean d’Œuvre',
      'CCAS de SARAN',
      'Espace Public Numérique – Fleury-les-Aubrais',
      "L'Atelier Ñandú (Ærø)",
      'ÉCOLE DE LA 2E CHANCE',
      'Maison des habitants `Blossières`',
    ];
    const t = await createTestDb();
    try {
      for (const name of names) {
        const { rows } = await sql<{
          folded: string;
        }>`select ${foldedSql(sql`${name}::text`)} as folded`.execute(t.db);
        assert.equal(rows[0]?.folded, foldForSearch(name), name);
      }
    } finally {
      await t.close();
    }
  });
});
