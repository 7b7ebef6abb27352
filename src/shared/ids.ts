/**
 * Identifiers: our records are keyed by UUIDs (PostgreSQL `uuid`). An id from outside (a path, a form, a
 * link) is checked here before it reaches a query — a malformed one is "not found", never a database
 * error — and lowercased, as PostgreSQL writes them.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The id in PostgreSQL's own writing (lowercase), or null when it is not a UUID. */
export function uuidOrNull(value: string): string | null {
  return UUID.test(value) ? value.toLowerCase() : null;
}
