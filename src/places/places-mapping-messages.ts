import { FIELD_NAMES } from './places-row-messages.ts';
import { SCHEMA_FIELDS, type SchemaField } from './schema-fields.ts';

/**
 * The French words of column mappings (checking a mapping, reading its JSON, applying it), in one place.
 */

const SCHEMA_FIELD_SET = new Set<string>(SCHEMA_FIELDS);

/** "le nom du lieu (nom)", or the key itself when it is no schema field. */
function fieldLabel(field: string): string {
  return SCHEMA_FIELD_SET.has(field) ? `${FIELD_NAMES[field as SchemaField]} (« ${field} »)` : `« ${field} »`;
}

function quoteList(items: readonly string[], limit = 40): string {
  const shown = items.slice(0, limit).map((item) => `« ${item} »`);
  return `${shown.join(', ')}${items.length > limit ? '…' : ''}`;
}

export const MAPPING_MESSAGES = {
  otherSource: (own: string, wanted: string) =>
    `Cette correspondance des colonnes est celle de la source « ${own} », pas de « ${wanted} » : c'est la correspondance d'une autre source. Choisissez celle de « ${wanted} », ou retirez la clé « source » du fichier de correspondance.`,
  requiredUnmapped: (field: SchemaField) =>
    `Le champ obligatoire ${fieldLabel(field)} n'a pas de correspondance : choisissez la colonne (ou les colonnes) du fichier qui le donnent, ou une valeur fixe. Sans lui, toutes les lignes seraient refusées.`,
  columnMissing: (field: string, column: string, columns: readonly string[]) =>
    `La colonne « ${column} » indiquée pour ${fieldLabel(field)} n'existe pas dans le fichier. Colonnes du fichier : ${quoteList(columns)}.`,
  splitPart: (field: string, part: number) =>
    `Pour ${fieldLabel(field)}, la partie ${part} n'existe pas : les parties d'une colonne découpée se comptent à partir de 1 (-1 pour la dernière).`,
  emptySeparator: (field: string) =>
    `Pour ${fieldLabel(field)}, le séparateur de découpage est vide : indiquez le caractère qui sépare les parties (par exemple « , »).`,
  badPattern: (field: string, pattern: string, detail: string) =>
    `Pour ${fieldLabel(field)}, l'expression régulière « ${pattern} » est invalide (${detail}).`,
  joinWithoutColumns: (field: string) =>
    `Pour ${fieldLabel(field)}, aucune colonne à joindre n'est indiquée.`,
  sharedColumn: (column: string, fields: readonly SchemaField[]) =>
    `La colonne « ${column} » entière est donnée à plusieurs champs (${fields.map((field) => `« ${field} »`).join(', ')}) : chaque champ doit avoir sa propre colonne (découpez-la ou extrayez-en une partie si elle contient plusieurs informations).`,
  valuesOnFreeField: (field: string) =>
    `Le champ ${fieldLabel(field)} n'a pas de liste de valeurs du schéma : une correspondance des valeurs ne s'y applique pas.`,
  valueNotInSchema: (field: SchemaField, word: string, value: string, allowed: readonly string[]) =>
    `Pour ${fieldLabel(field)}, le mot « ${word} » donne « ${value} », qui n'est pas une valeur du schéma. Valeurs possibles : ${quoteList(allowed, 100)}.`,
  targetNotInSchema: (
    field: SchemaField,
    terms: readonly string[] | null,
    value: string,
    allowed: readonly string[],
  ) =>
    `Pour ${fieldLabel(field)}, ${terms === null || terms.length === 0 ? 'la règle' : `la règle des termes ${quoteList(terms, 5)}`} donne « ${value} », qui n'est pas une valeur du schéma. Valeurs possibles : ${quoteList(allowed, 100)}.`,
  fixedNotInSchema: (field: SchemaField, value: string, allowed: readonly string[]) =>
    `Pour ${fieldLabel(field)}, la valeur fixe « ${value} » n'est pas une valeur du schéma. Valeurs possibles : ${quoteList(allowed, 100)}.`,
  containsOnScalarField: (field: string) =>
    `Le champ ${fieldLabel(field)} n'est pas une liste de valeurs : des règles « termes / cible » ne s'y appliquent pas.`,
  idFromRow: () =>
    "La correspondance ne donne pas d'identifiant : le numéro de ligne en tient lieu. Si l'ordre des lignes change d'un fichier à l'autre, les lieux ne seront pas reconnus d'un import au suivant ; indiquez plutôt une colonne d'identifiant.",
  wordUnmapped: (field: SchemaField, word: string, count: number, rows: readonly number[]) =>
    `Pour ${fieldLabel(field)}, le mot « ${word} » n'a pas de correspondance dans le schéma : il est ignoré sur ${count === 1 ? 'une ligne' : `${count} lignes`} (${rows.length === 1 ? 'ligne' : 'lignes'} ${rows.join(', ')}${count > rows.length ? '…' : ''}). Ajoutez-le à la correspondance des valeurs pour le garder.`,
  // Reading a mapping's JSON.
  notAnObject: (what: string) => `${what} doit être un objet JSON { … }.`,
  unknownKey: (key: string, known: readonly string[]) =>
    `La clé « ${key} » n'est pas connue. Clés possibles : ${quoteList(known, 60)}.`,
  badType: (key: string, expected: string) => `La clé « ${key} » doit être ${expected}.`,
  badKind: (key: string, kind: string) =>
    `La règle « ${key} » a un type « ${kind} » inconnu : column, join, split, pattern, fixed ou none.`,
  badVersion: () => 'La clé « version » doit valoir 1 (format de correspondance de Maillage).',
  notSchemaField: (key: string) =>
    `« ${key} » n'est pas un champ du schéma national des lieux. Champs possibles : ${quoteList(SCHEMA_FIELDS, 40)}.`,
  v0Key: (key: string, replacement: string) =>
    `La clé « ${key} » est celle de l'ancien schéma (v0), que le transformateur actuel ne lit plus : utilisez ${replacement}.`,
  notSupported: (key: string, why: string) => `La clé « ${key} » n'est pas prise en charge : ${why}.`,
  badDay: (key: string, day: string) =>
    `La clé « ${key} » indique le jour « ${day} » : les jours s'écrivent Mo, Tu, We, Th, Fr, Sa ou Su.`,
  jsonSyntax: (detail: string) => `Le fichier de correspondance n'est pas un JSON valide : ${detail}.`,
} as const;
