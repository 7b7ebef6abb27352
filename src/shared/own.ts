/**
 * The table's own entry under `key`, or undefined: never a property every object inherits, so a query
 * like `?fait=constructor` or `?fait=__proto__` finds nothing instead of a function or a prototype.
 */
export function ownEntry<T>(
  table: Readonly<Record<string, T>>,
  key: string | null | undefined,
): T | undefined {
  return key != null && Object.hasOwn(table, key) ? table[key] : undefined;
}
