import path from 'node:path';
import { sql } from 'kysely';
import ts from 'typescript';
import type { Db } from '../../src/db/database.ts';

/**
 * The row types of src/db/database.ts (written by hand) against the migrated schema. TypeScript types do
 * not exist at run time, so the interfaces are read with the compiler's type checker; the schema is read
 * from information_schema and pg_constraint. Both are reduced to one model, then compared column by
 * column.
 */

/** What a value looks like in JavaScript, as our drivers return it (src/db/create-db.ts). */
export type Kind = 'string' | 'number' | 'boolean' | 'Date' | 'bytes' | 'json' | `${string}[]`;

export interface TsColumn {
  /** The select type's kind; null when it cannot be told (mixed kinds, see `problem`). */
  kind: Kind | null;
  /** null for `unknown` (an unchecked JSON document): it admits null, so it declares nothing either way. */
  nullable: boolean | null;
  /** A union of string literals ('pending' | 'sent'), sorted; null for a plain type. */
  literals: string[] | null;
  /** Kysely lets an insert leave it out (the insert type admits undefined or null). */
  insertOptional: boolean;
  /** Kysely refuses it in an insert (GeneratedAlways, insert type `never`). */
  insertNever: boolean;
  /** The declared type as written, for messages. */
  text: string;
  problem: string | null;
}

export type TsModel = Map<string, Map<string, TsColumn>>;

export const DATABASE_TS = path.resolve(import.meta.dirname, '../../src/db/database.ts');

/**
 * Reads the `Database` interface of a database.ts and the row interfaces it names. `text` replaces the
 * file's content (the comparison's own tests feed it altered row types); the file's folder still
 * resolves `kysely`.
 */
export function readRowTypes(file = DATABASE_TS, text?: string): TsModel {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    // Date is all we need from the standard library; leaving the DOM out keeps the program small.
    lib: ['lib.es2023.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options, true);
  if (text !== undefined) {
    const getSourceFile = host.getSourceFile.bind(host);
    const readFile = host.readFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      path.resolve(name) === file
        ? ts.createSourceFile(name, text, language, true)
        : getSourceFile(name, language, ...rest);
    host.readFile = (name) => (path.resolve(name) === file ? text : readFile(name));
  }
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${file}`);
  const database = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Database',
  );
  if (!database) throw new Error(`${file} has no \`interface Database\``);

  const model: TsModel = new Map();
  const databaseType = checker.getTypeAtLocation(database);
  for (const table of checker.getPropertiesOfType(databaseType)) {
    const rowType = checker.getTypeOfSymbolAtLocation(table, database);
    const columns = new Map<string, TsColumn>();
    for (const column of checker.getPropertiesOfType(rowType)) {
      columns.set(column.name, describeColumn(checker, checker.getTypeOfSymbolAtLocation(column, database)));
    }
    model.set(table.name, columns);
  }
  return model;
}

function member(checker: ts.TypeChecker, type: ts.Type, name: string): ts.Type | null {
  const symbol = checker.getPropertyOfType(type, name);
  return symbol ? checker.getTypeOfSymbol(symbol) : null;
}

const parts = (type: ts.Type): ts.Type[] => (type.isUnion() ? type.types : [type]);

/** A column's type: Kysely's ColumnType<Select, Insert, Update> (Generated<> and the like are aliases of
 * it), or a plain type used for all three. */
function describeColumn(checker: ts.TypeChecker, type: ts.Type): TsColumn {
  const select = member(checker, type, '__select__') ?? type;
  const insert = member(checker, type, '__insert__') ?? type;
  const kinds = new Set<Kind>();
  const literals: string[] = [];
  let nullable: boolean | null = select.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any) ? null : false;
  let problem: string | null = null;
  for (const part of parts(select)) {
    if (part.flags & ts.TypeFlags.Null) nullable = true;
    else if (part.flags & ts.TypeFlags.Undefined) problem = 'a selected value is never undefined';
    else {
      if (part.isStringLiteral()) literals.push(part.value);
      kinds.add(kindOf(checker, part));
    }
  }
  if (kinds.size !== 1) problem ??= `mixes ${[...kinds].join(', ') || 'nothing'}`;
  const insertParts = parts(insert);
  return {
    kind: kinds.size === 1 ? ([...kinds][0] as Kind) : null,
    nullable,
    literals:
      literals.length && literals.length === parts(select).filter(notNull).length ? literals.sort() : null,
    insertOptional: insertParts.some((p) => p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)),
    insertNever: Boolean(insert.flags & ts.TypeFlags.Never),
    text: checker.typeToString(type),
    problem,
  };
}

const notNull = (t: ts.Type) => !(t.flags & ts.TypeFlags.Null);

function kindOf(checker: ts.TypeChecker, type: ts.Type): Kind {
  if (type.flags & ts.TypeFlags.StringLike) return 'string';
  if (type.flags & ts.TypeFlags.NumberLike) return 'number';
  if (type.flags & ts.TypeFlags.BooleanLike) return 'boolean';
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    const kinds = new Set(parts(element as ts.Type).map((t) => kindOf(checker, t)));
    return kinds.size === 1 ? `${[...kinds][0]}[]` : `${[...kinds].join('|')}[]`;
  }
  if (type.getSymbol()?.name === 'Date') return 'Date';
  // bytea: node-postgres gives a Buffer, PGlite a Uint8Array (a Buffer is one).
  if (type.getSymbol()?.name === 'Uint8Array' || type.getSymbol()?.name === 'Buffer') return 'bytes';
  // unknown, records and interfaces: a JSON document (the drivers parse jsonb).
  return 'json';
}

export interface SqlColumn {
  kind: Kind | null;
  /** data_type (udt_name for arrays), for messages. */
  type: string;
  nullable: boolean;
  hasDefault: boolean;
  /** GENERATED ALWAYS (identity or expression): an insert may not give it. */
  generatedAlways: boolean;
  /** The values a CHECK (column IN (...)) allows, sorted; null without such a check. */
  allowed: string[] | null;
}

export interface SqlRelation {
  view: boolean;
  columns: Map<string, SqlColumn>;
}

export type SqlModel = Map<string, SqlRelation>;

/**
 * SQL types to the JavaScript kinds the drivers return. `date` stays text and `bigint`/`numeric` become
 * numbers because src/db/create-db.ts sets those parsers on both engines.
 */
const KIND_OF_SQL: Record<string, Kind> = {
  text: 'string',
  'character varying': 'string',
  character: 'string',
  uuid: 'string',
  date: 'string',
  smallint: 'number',
  integer: 'number',
  bigint: 'number',
  real: 'number',
  'double precision': 'number',
  numeric: 'number',
  boolean: 'boolean',
  'timestamp with time zone': 'Date',
  'timestamp without time zone': 'Date',
  bytea: 'bytes',
  json: 'json',
  jsonb: 'json',
};
const KIND_OF_UDT: Record<string, Kind> = {
  text: 'string',
  varchar: 'string',
  uuid: 'string',
  date: 'string',
  int2: 'number',
  int4: 'number',
  int8: 'number',
  float4: 'number',
  float8: 'number',
  numeric: 'number',
  bool: 'boolean',
  timestamptz: 'Date',
  json: 'json',
  jsonb: 'json',
  bytea: 'bytes',
};

/** The migrated schema of the current database: its tables and views, their columns and checks. */
export async function readSchema(db: Db): Promise<SqlModel> {
  const columns = await sql<{
    table_name: string;
    table_type: string;
    column_name: string;
    is_nullable: string;
    data_type: string;
    udt_name: string;
    column_default: string | null;
    is_identity: string;
    identity_generation: string | null;
    is_generated: string;
  }>`select c.table_name::text, t.table_type::text, c.column_name::text, c.is_nullable::text,
            c.data_type::text, c.udt_name::text, c.column_default::text, c.is_identity::text,
            c.identity_generation::text, c.is_generated::text
       from information_schema.columns c
       join information_schema.tables t
         on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema()
      order by c.table_name, c.ordinal_position`.execute(db);
  const checks = await sql<{ table_name: string; columns: string; definition: string }>`
     select rel.relname::text as table_name,
            (select string_agg(a.attname::text, ',') from pg_attribute a
              where a.attrelid = con.conrelid and a.attnum = any (con.conkey)) as columns,
            pg_get_constraintdef(con.oid) as definition
       from pg_constraint con
       join pg_class rel on rel.oid = con.conrelid
       join pg_namespace ns on ns.oid = rel.relnamespace
      where con.contype = 'c' and ns.nspname = current_schema()`.execute(db);

  const allowed = new Map<string, string[]>();
  for (const check of checks.rows) {
    // `col in ('a', 'b')` is kept by PostgreSQL as `col = ANY (ARRAY['a'::text, 'b'::text])`.
    const list = /= ANY \(ARRAY\[(.*?)\]\)/.exec(check.definition)?.[1];
    if (!list || check.columns.includes(',')) continue;
    const values = [...list.matchAll(/'((?:[^']|'')*)'::[a-z ]+/g)].map((m) =>
      (m[1] as string).replace(/''/g, "'"),
    );
    allowed.set(`${check.table_name}.${check.columns}`, values.sort());
  }

  const model: SqlModel = new Map();
  for (const c of columns.rows) {
    let relation = model.get(c.table_name);
    if (!relation) {
      relation = { view: c.table_type === 'VIEW', columns: new Map() };
      model.set(c.table_name, relation);
    }
    const isArray = c.data_type === 'ARRAY';
    const element = isArray ? KIND_OF_UDT[c.udt_name.replace(/^_/, '')] : undefined;
    relation.columns.set(c.column_name, {
      kind: isArray ? (element ? `${element}[]` : null) : (KIND_OF_SQL[c.data_type] ?? null),
      type: isArray ? `${c.udt_name.replace(/^_/, '')}[]` : c.data_type,
      nullable: c.is_nullable === 'YES',
      hasDefault: c.column_default !== null || c.is_identity === 'YES' || c.is_generated === 'ALWAYS',
      generatedAlways: c.identity_generation === 'ALWAYS' || c.is_generated === 'ALWAYS',
      allowed: allowed.get(`${c.table_name}.${c.column_name}`) ?? null,
    });
  }
  return model;
}

/**
 * Columns whose row type is a union of string literals while the database accepts any text, each with
 * why. A check added in SQL, or a row type widened to string, removes its line.
 */
export const LITERALS_WITHOUT_CHECK: Readonly<Record<string, string>> = {
  'orientation_event.from_state':
    'written only by the orientation state machine, from the checked orientation.state',
  'orientation_event.to_state':
    'written only by the orientation state machine, from the checked orientation.state',
};

/** Every difference between the row types and the schema, one line each: `table.column: what`. */
export function compareRowTypes(
  types: TsModel,
  schema: SqlModel,
  literalsWithoutCheck: Readonly<Record<string, string>> = LITERALS_WITHOUT_CHECK,
): string[] {
  const out: string[] = [];
  for (const [name, relation] of schema) {
    if (!types.has(name))
      out.push(`${name}: ${relation.view ? 'view' : 'table'} of the migrated schema missing from Database`);
  }
  for (const [table, columns] of types) {
    const relation = schema.get(table);
    if (!relation) {
      out.push(`${table}: in Database, but the migrated schema has no such table or view`);
      continue;
    }
    for (const name of relation.columns.keys()) {
      if (!columns.has(name)) out.push(`${table}.${name}: column of the schema missing from the row type`);
    }
    for (const [name, ts] of columns) {
      const where = `${table}.${name}`;
      const sqlColumn = relation.columns.get(name);
      if (!sqlColumn) {
        out.push(`${where}: in the row type, but the table has no such column`);
        continue;
      }
      out.push(...compareColumn(where, ts, sqlColumn, relation.view, where in literalsWithoutCheck));
    }
  }
  for (const where of Object.keys(literalsWithoutCheck)) {
    const [table, column] = where.split('.') as [string, string];
    const ts = types.get(table)?.get(column);
    const sqlColumn = schema.get(table)?.columns.get(column);
    if (!ts?.literals || !sqlColumn || sqlColumn.allowed)
      out.push(
        `${where}: listed in LITERALS_WITHOUT_CHECK, but it is not a literal union over unchecked text`,
      );
  }
  return out.sort();
}

function compareColumn(
  where: string,
  ts: TsColumn,
  sql: SqlColumn,
  view: boolean,
  unchecked: boolean,
): string[] {
  const out: string[] = [];
  const said = `row type ${ts.text}, SQL ${sql.type}${sql.nullable ? ' null' : ' not null'}`;
  if (ts.problem) out.push(`${where}: row type ${ts.text} ${ts.problem}`);
  if (!sql.kind) out.push(`${where}: SQL type ${sql.type} has no mapping to a JavaScript value here`);
  // A JSON document may be a list (jsonb holding an array: the driver parses it into one).
  else if (ts.kind && ts.kind !== sql.kind && !(sql.kind === 'json' && ts.kind.endsWith('[]')))
    out.push(`${where}: ${said} — reads as ${sql.kind}, declared ${ts.kind}`);
  // A view's columns are always reported nullable: PostgreSQL does not infer nullability through a query.
  if (!view && ts.nullable !== null && ts.nullable !== sql.nullable)
    out.push(
      `${where}: ${said} — ${sql.nullable ? 'nullable in SQL, not in the row type' : 'not null in SQL, nullable in the row type'}`,
    );
  if (!view && ts.insertOptional && !sql.nullable && !sql.hasDefault)
    out.push(`${where}: ${said} — an insert may leave it out, but SQL has no default`);
  if (!view && sql.generatedAlways && !ts.insertNever)
    out.push(`${where}: ${said} — GENERATED ALWAYS in SQL: declare it GeneratedAlways<>`);
  if (!view && ts.insertNever && !sql.generatedAlways)
    out.push(`${where}: ${said} — the row type forbids inserting it, SQL does not generate it`);
  if (sql.allowed) {
    if (!ts.literals)
      out.push(`${where}: SQL allows only ${sql.allowed.join(', ')}; the row type says ${ts.text}`);
    else if (ts.literals.join() !== sql.allowed.join())
      out.push(`${where}: SQL allows ${sql.allowed.join(', ')}; the row type ${ts.literals.join(', ')}`);
  } else if (ts.literals && !unchecked) {
    out.push(
      `${where}: the row type allows only ${ts.literals.join(', ')}, SQL any ${sql.type}: add a CHECK or list it in LITERALS_WITHOUT_CHECK`,
    );
  }
  return out;
}
