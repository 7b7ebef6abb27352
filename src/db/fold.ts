import { type RawBuilder, sql } from 'kysely';
import { FOLD_FROM, FOLD_TO } from '../shared/text.ts';

/**
 * A text expression folded in SQL as `foldForSearch` (shared/text.ts) folds what people type: ligatures
 * spelt out, accents off (both cases: lower() may leave them under the C locale), apostrophes and hyphens
 * as spaces, single spaces, lowercase. Written once so that every name search of the product finds the
 * same things.
 */
export function foldedSql(expression: RawBuilder<unknown>): RawBuilder<string> {
  const ligatures = sql`replace(replace(replace(replace(${expression}, 'Œ', 'oe'), 'œ', 'oe'), 'Æ', 'ae'), 'æ', 'ae')`;
  return sql<string>`btrim(lower(regexp_replace(translate(${ligatures}, ${FOLD_FROM}, ${FOLD_TO}), '\\s+', ' ', 'g')))`;
}

/** A word for `like '%…%'`: its own %, _ and \ taken literally. */
export function likeEscaped(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}
