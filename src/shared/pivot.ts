/**
 * The "pivot" of the national schema: a SIRET (14 digits), a SIREN (9), an RNA number (W and 9 digits)
 * or an overseas equivalent (RIDET…). One rule to read it as people type it ("214 503 027 00019",
 * "W45.200.1234") and shapes to check it: the schema's (9 to 14 letters or digits, for imports) and the
 * strict ones of a structure created in Maillage (a SIRET or an RNA number).
 */
const SCHEMA_PIVOT = /^[A-Z0-9]{9,14}$/;

/** The pivot without the spaces and dots people type, letters uppercased. */
export function compactPivot(text: string): string {
  return /[\s.a-z]/.test(text) ? text.replace(/[\s.]/g, '').toUpperCase() : text;
}

/** The schema's shape (imports): 9 to 14 letters or digits, or null. */
export function schemaPivot(text: string): string | null {
  const pivot = compactPivot(text);
  return SCHEMA_PIVOT.test(pivot) ? pivot : null;
}

/** A SIRET (14 digits) or an RNA number (W and 9 digits), as stored, or null. */
export function siretOrRna(text: string): string | null {
  const pivot = compactPivot(text);
  return /^\d{14}$/.test(pivot) || /^W\d{9}$/.test(pivot) ? pivot : null;
}
