import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { referencePath } from './reference-data.ts';

/**
 * La Coop's statistics queries, run as they are pinned (decision 0052). Each pinned `.ts` file of
 * `coop-mediation-numerique/statistiques/` (and the field and beneficiary files they import) is
 * compiled by esbuild from its own text, unchanged; only its import specifiers are pointed at
 * stand-ins for what the Coop's app provides: `@prisma/client` (the `Prisma.sql`/`raw`/`join`/`empty`
 * template builders, with Prisma's rules for nesting and parameters, and the enums read from the pinned
 * `schema.prisma`, whose values are the enum keys as Prisma's client gives them), `prismaClient`
 * (`$queryRaw` runs the built SQL with `$n` parameters on the caller's connection), `change-case`'s
 * `snakeCase`, and inert stand-ins for pictograms and form helpers. No SQL is retyped: what runs is the
 * text of the pinned template literals with their `${…}` fragments evaluated by the pinned helpers.
 */

export type RawQuery = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const PINNED = 'coop-mediation-numerique';

/** Where an import of a pinned file leads: another pinned file, or a stand-in's name. */
function target(spec: string, fromFile: string): { pinned: string } | { shim: string } {
  const base = path.basename(spec);
  if (spec.startsWith('@app/web/app/coop/(sidemenu-layout)/mes-statistiques/_queries/'))
    return { pinned: `statistiques/${base}.ts` };
  if (spec.startsWith('./') && fromFile.startsWith('statistiques/'))
    return { pinned: `statistiques/${base}.ts` };
  if (spec.startsWith('./') && fromFile.startsWith('beneficiaire/'))
    return { pinned: `beneficiaire/${base}.ts` };
  if (spec === '@app/web/features/activites/use-cases/list/db/activitesFiltersSqlWhereConditions')
    return { pinned: 'statistiques/activitesFiltersSqlWhereConditions.ts' };
  if (spec.startsWith('@app/web/features/activites/use-cases/cra/fields/'))
    return { pinned: `fields-${base}.ts` };
  if (spec.startsWith('@app/web/features/beneficiaire/domain/')) return { pinned: `beneficiaire/${base}.ts` };
  if (spec === '@prisma/client') return { shim: 'prisma' };
  if (spec === '@app/web/prismaClient') return { shim: 'client' };
  if (spec === 'change-case') return { shim: 'change-case' };
  if (spec === 'zod') return { shim: 'zod' };
  if (spec === '@app/ui/components/Form/utils/options') return { shim: 'options' };
  if (spec === '@app/web/utils/onlyDefinedAndNotNull' || spec === '@app/web/utils/isDefinedAndNotNull')
    return { shim: 'defined' };
  return { shim: 'inert' };
}

/** Parses the pinned schema's enums: enum name → { key: key } (Prisma's client shape). */
function prismaEnums(): Record<string, Record<string, string>> {
  const text = fs.readFileSync(referencePath(PINNED, 'schema.prisma'), 'utf8');
  const out: Record<string, Record<string, string>> = {};
  for (const m of text.matchAll(/^enum (\w+) \{([^}]*)\}/gm)) {
    const keys = [...(m[2] as string).matchAll(/^\s*(\w+)\s+@map\(/gm)].map((k) => k[1] as string);
    out[m[1] as string] = Object.fromEntries(keys.map((k) => [k, k]));
  }
  return out;
}

const SHIMS: Record<string, (names: string[]) => string> = {
  prisma: (names) => `
    // One class for every stand-in module, so that nesting (instanceof) works across them.
    const Sql = (globalThis.__coopSql ??= class Sql {
      constructor(strings, values) {
        this.strings = [strings[0]];
        this.values = [];
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (v instanceof Sql) {
            this.strings[this.strings.length - 1] += v.strings[0];
            for (let j = 0; j < v.values.length; j++) {
              this.values.push(v.values[j]);
              this.strings.push(v.strings[j + 1]);
            }
            this.strings[this.strings.length - 1] += strings[i + 1];
          } else {
            this.values.push(v);
            this.strings.push(strings[i + 1]);
          }
        }
      }
      get text() {
        return this.strings.reduce((t, s, i) => t + '$' + i + s);
      }
      get sql() { return this.text; }
    });
    const sql = (strings, ...values) => new Sql(strings, values);
    export const Prisma = {
      Sql,
      sql,
      raw: (text) => new Sql([text], []),
      join: (values, separator = ',', prefix = '', suffix = '') =>
        new Sql([prefix, ...Array(Math.max(values.length - 1, 0)).fill(separator), suffix], values),
      empty: new Sql([''], []),
    };
    const enums = globalThis.__coopEnums;
    ${names
      .filter((n) => n !== 'Prisma')
      .map((n) => `export const ${n} = enums[${JSON.stringify(n)}];`)
      .join('\n')}
  `,
  client: () => `
    export const prismaClient = {
      $queryRaw: (strings, ...values) => {
        const q = strings instanceof Array && !('text' in strings) ? new globalThis.__coopSql(strings, values) : strings;
        return globalThis.__coopQuery(q.text, q.values.map((v) => (v === undefined ? null : v)));
      },
    };
  `,
  'change-case': () => `
    // change-case's split: lower→Upper and UPPER→Upperlower boundaries, non-alphanumerics as separators.
    export const snakeCase = (input) =>
      String(input)
        .replace(/([\\p{Ll}\\d])(\\p{Lu})/gu, '$1\\0$2')
        .replace(/(\\p{Lu})([\\p{Lu}][\\p{Ll}])/gu, '$1\\0$2')
        .split(/[^\\p{L}\\d]+/u)
        .filter(Boolean)
        .map((w) => w.toLowerCase())
        .join('_');
  `,
  defined: (names) => `
    ${names.map((n) => `export const ${n} = (value) => value !== undefined && value !== null;`).join('\n')}
  `,
  options: () => `
    export const labelsToOptions = (labels) => Object.entries(labels).map(([value, label]) => ({ value, label }));
  `,
  zod: (names) => `
    const any = new Proxy(function () {}, { get: () => any, apply: () => any });
    ${names.map((n) => `export const ${n} = any;`).join('\n')}
  `,
  inert: (names) => `
    const any = new Proxy(function () {}, { get: (_t, p) => (p === Symbol.toPrimitive ? () => '' : any), apply: (_t, _s, args) => args[0] ?? any });
    ${names.map((n) => `export const ${n} = any;`).join('\n')}
  `,
};

/** What the Coop's functions return: rows of its own shape, read field by field by the test. */
// biome-ignore lint/suspicious/noExplicitAny: the pinned functions are untyped JavaScript here.
type CoopRow = Record<string, any>;

export interface CoopQueries {
  getTotalCountsStats: (args: unknown) => Promise<CoopRow>;
  getActivitesStats: (args: unknown) => Promise<CoopRow>;
  getActivitesStructuresStats: (args: unknown) => Promise<CoopRow[]>;
  getActivitesCommunesStats: (args: unknown) => Promise<CoopRow[]>;
  getBeneficiaireStatsWithCommunes: (args: unknown) => Promise<CoopRow>;
  getAccompagnementsCountByMonth: (args: unknown) => Promise<{ label: string; count: number }[]>;
  dureeAccompagnementStatisticsRanges: { key: string; min: number; max: number | null }[];
}

let loaded: Promise<CoopQueries> | null = null;

/** Compiles the pinned files (once per process) and returns their query functions. */
export function loadCoopQueries(run: RawQuery): Promise<CoopQueries> {
  (globalThis as Record<string, unknown>).__coopQuery = run;
  loaded ??= compile();
  return loaded;
}

async function compile(): Promise<CoopQueries> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-stats-'));
  (globalThis as Record<string, unknown>).__coopEnums = prismaEnums();
  const done = new Map<string, string>();
  const shimFiles = new Map<string, string>();
  const emit = (pinned: string): string => {
    const existing = done.get(pinned);
    if (existing) return existing;
    const file = path.join(out, `${pinned.replace(/[/]/g, '__')}.mjs`);
    done.set(pinned, file);
    const source = fs.readFileSync(referencePath(PINNED, pinned), 'utf8');
    let js = transformSync(source, { loader: 'ts', format: 'esm', target: 'es2022' }).code;
    js = js.replace(
      /import\s*(\{[^}]*\}|\*\s+as\s+\w+|\w+)\s*from\s*["']([^"']+)["'];?/g,
      (_all, what: string, spec: string) => {
        const t = target(spec, pinned);
        if ('pinned' in t)
          return `import ${what} from ${JSON.stringify(pathToFileURL(emit(t.pinned)).href)};`;
        const names = what
          .replace(/[{}]/g, '')
          .split(',')
          .map(
            (n) =>
              n
                .trim()
                .split(/\s+as\s+/)[0]
                ?.trim() ?? '',
          )
          .filter(Boolean);
        const key = `${t.shim}:${names.sort().join(',')}`;
        let shim = shimFiles.get(key);
        if (!shim) {
          shim = path.join(out, `shim-${shimFiles.size}-${t.shim}.mjs`);
          fs.writeFileSync(shim, (SHIMS[t.shim] as (n: string[]) => string)(names));
          shimFiles.set(key, shim);
        }
        return `import ${what} from ${JSON.stringify(pathToFileURL(shim).href)};`;
      },
    );
    fs.writeFileSync(file, js);
    return file;
  };
  const files = {
    total: emit('statistiques/getTotalCountsStats.ts'),
    activites: emit('statistiques/getActivitesStats.ts'),
    beneficiaires: emit('statistiques/getBeneficiaireStats.ts'),
    months: emit('statistiques/getAccompagnementsCountByPeriod.ts'),
    durees: emit('fields-duree-accompagnement.ts'),
  };
  const total = await import(pathToFileURL(files.total).href);
  const activites = await import(pathToFileURL(files.activites).href);
  const beneficiaires = await import(pathToFileURL(files.beneficiaires).href);
  const months = await import(pathToFileURL(files.months).href);
  const durees = await import(pathToFileURL(files.durees).href);
  return {
    getTotalCountsStats: total.getTotalCountsStats,
    getActivitesStats: activites.getActivitesStats,
    getActivitesStructuresStats: activites.getActivitesStructuresStats,
    getActivitesCommunesStats: activites.getActivitesCommunesStats,
    getBeneficiaireStatsWithCommunes: beneficiaires.getBeneficiaireStatsWithCommunes,
    getAccompagnementsCountByMonth: months.getAccompagnementsCountByMonth,
    dureeAccompagnementStatisticsRanges: durees.dureeAccompagnementStatisticsRanges,
  };
}

/**
 * The tables of the pinned `schema.prisma` that the statistics read, in a schema of their own: columns
 * named and typed as Prisma maps them (enums as PostgreSQL enums, because the filters cast to
 * `thematique[]`), only the columns the queries touch, plus a few that keep the shape honest.
 */
export function coopSchemaSql(schema: string, enums: Record<string, readonly string[]>): string {
  const e = (name: string, values: readonly string[]) =>
    `create type ${schema}.${name} as enum (${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')});`;
  return [
    `create schema ${schema};`,
    ...Object.entries(enums).map(([n, v]) => e(n, v)),
    `create table ${schema}.users (id uuid primary key, is_conseiller_numerique boolean not null default false);`,
    `create table ${schema}.mediateurs (id uuid primary key, user_id uuid not null unique references ${schema}.users (id));`,
    `create table ${schema}.mediateurs_coordonnes (id uuid primary key, mediateur_id uuid not null, coordinateur_id uuid not null, suppression timestamp);`,
    `create table ${schema}.structures (id uuid primary key, nom text not null, commune text, code_postal text, code_insee text, suppression timestamp);`,
    `create table ${schema}.activites (
      id uuid primary key, type ${schema}.type_activite not null,
      mediateur_id uuid not null references ${schema}.mediateurs (id), accompagnements_count integer not null,
      date date not null, duree integer not null, notes text, rdv_service_public_id integer,
      structure_employeuse_id uuid not null references ${schema}.structures (id),
      structure_id uuid references ${schema}.structures (id),
      lieu_code_postal text, lieu_commune text, lieu_code_insee text,
      creation timestamp not null default now(), modification timestamp not null default now(), suppression timestamp,
      type_lieu ${schema}.type_lieu not null, autonomie ${schema}.autonomie,
      structure_de_redirection ${schema}.structure_de_redirection,
      materiel ${schema}.materiel[] not null default '{}', thematiques ${schema}.thematique[] not null default '{}',
      oriente_vers_structure boolean, precisions_demarche text, titre_atelier text, niveau ${schema}.niveau_atelier,
      v1_cra_id text unique);`,
    `create table ${schema}.beneficiaires (
      id uuid primary key, mediateur_id uuid not null references ${schema}.mediateurs (id),
      anonyme boolean not null default false, annee_naissance integer,
      commune text, commune_code_postal text, commune_code_insee text,
      genre ${schema}.genre, tranche_age ${schema}.tranche_age, statut_social ${schema}.statut_social,
      suppression timestamp, accompagnements_count integer not null default 0);`,
    `create table ${schema}.accompagnements (
      id uuid primary key, beneficiaire_id uuid not null references ${schema}.beneficiaires (id),
      activite_id uuid not null references ${schema}.activites (id),
      premier_accompagnement boolean not null default false, unique (beneficiaire_id, activite_id));`,
  ].join('\n');
}

/** The pinned schema's enums as stored values (`@map`), by the PostgreSQL type name (`@@map`). */
export function coopDbEnums(): Record<string, string[]> {
  const text = fs.readFileSync(referencePath(PINNED, 'schema.prisma'), 'utf8');
  const out: Record<string, string[]> = {};
  for (const m of text.matchAll(/^enum (\w+) \{([^}]*)\}/gm)) {
    const body = m[2] as string;
    const name = /@@map\("([^"]+)"\)/.exec(body)?.[1];
    if (!name) continue;
    out[name] = [...body.matchAll(/(?<!@)@map\("([^"]+)"\)/g)].map((v) => v[1] as string);
  }
  return out;
}
