import fs from 'node:fs';
import path from 'node:path';
import { type CliCommand, progressBar, UsageError } from '../shared/cli-kit.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import { parseTerritory } from '../shared/territory.ts';
import { type ExportFormat, exportPlaces } from './places.service.ts';
import type { ImportIssue } from './places.ts';
import { PLACES_LAYOUTS, type PlacesLayout } from './places-data-inclusion.ts';
import {
  listPlaceImports,
  listPlaceMerges,
  undoPlaceImport,
  unmergePlace,
} from './places-history.service.ts';
import { importPlacesFile } from './places-import.service.ts';
import { type PlacesMapping, parseMappingJson, readRawPlacesFile, suggestMapping } from './places-mapping.ts';

const EXPORT_FORMATS = ['csv', 'csv-excel', 'json'];
/** The command line acts as the system: whoever can run it already holds the database. */
const SYSTEM = { kind: 'system' } as const;

function readFileOrFail(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    throw new DomainError('invalid_file', `Le fichier « ${file} » est introuvable ou illisible.`, { file });
  }
}

/** A mapping file (ours or the transformer's): its problems, each naming the key, are a usage error. */
function readMappingFile(file: string): PlacesMapping {
  let value: unknown;
  try {
    value = JSON.parse(
      readFileOrFail(file)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw new UsageError(
      `Le fichier de correspondance « ${file} » n'est pas un JSON valide : ${(error as Error).message}.`,
    );
  }
  const parsed = parseMappingJson(value);
  if (!parsed.ok) {
    const lines = parsed.problems.map((problem) => `  - ${problem.message}`);
    throw new UsageError(`Le fichier de correspondance « ${file} » est incorrect :\n${lines.join('\n')}`);
  }
  return parsed.mapping;
}

function describeIssue(issue: ImportIssue): string {
  const where = issue.row === null ? 'fichier' : `ligne ${issue.row}`;
  const id = issue.id ? ` (id ${issue.id})` : '';
  return `${where}${id} : ${issue.message}`;
}

export const placesCommands: CliCommand[] = [
  {
    name: 'places import',
    usage:
      'places import <fichier> [--layout national|data-inclusion] [--services SERVICES.json] [--source NOM] [--mapping CORRESPONDANCE.json] [--dry-run] [--format json]',
    summary:
      "Importe des lieux (CSV ou JSON au schéma national, structures et services data·inclusion, ou une autre disposition avec --mapping) ; les lignes refusées sont listées. --layout national : l'export de la cartographie nationale (ses sources marquées nationales, les lieux hors du territoire et de sa marge ignorés).",
    options: {
      source: { type: 'string' },
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean' },
      layout: { type: 'string' },
      services: { type: 'string' },
    },
    needsMigratedDb: true,
    async run(ctx, { positionals, values }) {
      const file = positionals[0];
      if (!file) throw new UsageError('Indiquez le fichier à importer.');
      if (values.format !== undefined && values.format !== 'json')
        throw new UsageError('--format accepte seulement « json ».');
      const source = typeof values.source === 'string' ? values.source.trim() : undefined;
      if (source === '') throw new UsageError('--source ne peut pas être vide.');
      if (values.mapping === '') throw new UsageError('--mapping demande un fichier de correspondance.');
      const mapping = typeof values.mapping === 'string' ? readMappingFile(values.mapping) : undefined;
      const layout = values.layout;
      if (layout !== undefined && !PLACES_LAYOUTS.includes(layout as PlacesLayout))
        throw new UsageError('--layout doit valoir « national » ou « data-inclusion ».');
      if (values.services === '')
        throw new UsageError('--services demande le fichier des services data·inclusion.');
      if (values.services !== undefined && layout === 'national')
        throw new UsageError('--services va avec les structures data·inclusion, pas avec --layout national.');
      if (mapping !== undefined && (layout !== undefined || values.services !== undefined))
        throw new UsageError('--mapping ne se combine pas avec --layout ni --services.');
      const services =
        typeof values.services === 'string'
          ? { bytes: readFileOrFail(values.services), fileName: path.basename(values.services) }
          : undefined;
      const bytes = readFileOrFail(file);
      const { db } = await ctx.open();
      let report: Awaited<ReturnType<typeof importPlacesFile>>;
      try {
        report = await importPlacesFile(db, SYSTEM, bytes, {
          fileName: path.basename(file),
          source,
          dryRun: values['dry-run'] === true,
          onProgress: progressBar(ctx, 'Import'),
          scope: ctx.config.publicScope,
          mapping,
          mergeReviewBelow: ctx.config.mergeReviewBelow,
          layout: layout as PlacesLayout | undefined,
          services,
          networkName: ctx.config.networkName,
        });
      } catch (error) {
        // A mapping that does not fit the file is the command's input at fault, like a bad option.
        if (isDomainError(error) && error.code === 'invalid_input' && mapping !== undefined)
          throw new UsageError(error.message);
        throw error;
      }
      if (ctx.json) {
        const { read, imported, updated, unchanged, merged, rejected, toReview, outsideSkipped, recognised } =
          report;
        const { warnings, errors } = report;
        ctx.out(
          `${JSON.stringify({ read, imported, updated, unchanged, merged, rejected, toReview, outsideSkipped, recognised, warnings, errors })}\n`,
        );
        return 0;
      }
      const lines = [
        report.dryRun ? 'Essai sans enregistrement (--dry-run) :' : 'Import terminé :',
        `  ${report.read} lignes lues`,
        `  ${report.imported} nouveaux lieux, ${report.updated} mis à jour, ${report.unchanged} inchangés, ${report.merged} fusionnés`,
        `  ${report.rejected} lignes refusées, ${report.warnings.length} avertissements`,
      ];
      if (report.outsideSkipped > 0)
        lines.push(`  ${report.outsideSkipped} lieux hors du territoire et de sa marge, non importés`);
      if (report.recognised > 0)
        lines.push(`  ${report.recognised} lieux du réseau reconnus (publiés par lui), laissés tels quels`);
      if (report.toReview > 0)
        lines.push(
          `  ${report.toReview} fusion${report.toReview > 1 ? 's' : ''} proposée${report.toReview > 1 ? 's' : ''} sous le seuil de confiance, pas encore appliquée${report.toReview > 1 ? 's' : ''} : à vérifier sur /fusions ou avec « places merges »`,
        );
      if (report.errors.length) {
        lines.push(
          '',
          'Lignes refusées :',
          ...report.errors.slice(0, 50).map((e) => `  - ${describeIssue(e)}`),
        );
        if (report.errors.length > 50)
          lines.push(`  … et ${report.errors.length - 50} autres (voir --format json)`);
      }
      if (report.warnings.length) {
        lines.push(
          '',
          'Avertissements :',
          ...report.warnings.slice(0, 30).map((w) => `  - ${describeIssue(w)}`),
        );
        if (report.warnings.length > 30)
          lines.push(`  … et ${report.warnings.length - 30} autres (voir --format json)`);
      }
      ctx.out(`${lines.join('\n')}\n`);
      return 0;
    },
  },
  {
    name: 'places mapping-suggest',
    usage: 'places mapping-suggest <fichier> [--source NOM]',
    summary:
      'Affiche une correspondance des colonnes de départ (JSON) pour un fichier dans une autre disposition, à compléter puis à donner à « places import --mapping ».',
    options: { source: { type: 'string' } },
    needsMigratedDb: false,
    async run(ctx, { positionals, values }) {
      const file = positionals[0];
      if (!file) throw new UsageError('Indiquez le fichier dont il faut proposer la correspondance.');
      const raw = readRawPlacesFile(readFileOrFail(file), path.basename(file));
      const mapping = suggestMapping(raw.columns);
      const source = typeof values.source === 'string' ? values.source.trim() : '';
      const output = source === '' ? mapping : { ...mapping, source };
      ctx.out(`${JSON.stringify(output, null, 2)}\n`);
      return 0;
    },
  },
  {
    name: 'places export',
    usage: 'places export --format csv|csv-excel|json [--out FICHIER] [--territory TERRITOIRE]',
    summary: 'Exporte les lieux au schéma national v1.0.2 (csv-excel : point-virgule et BOM pour Excel).',
    options: { out: { type: 'string' }, territory: { type: 'string' } },
    needsMigratedDb: true,
    async run(ctx, { values }) {
      const format = (values.format ?? 'csv') as string;
      if (!EXPORT_FORMATS.includes(format))
        throw new UsageError('--format doit valoir csv, csv-excel ou json.');
      let territory = null;
      if (typeof values.territory === 'string') {
        const t = parseTerritory(values.territory);
        if (!t.ok) throw new UsageError(t.message);
        territory = t.territory;
      }
      const { db } = await ctx.open();
      const body = await exportPlaces(db, SYSTEM, { format: format as ExportFormat, territory });
      if (typeof values.out === 'string') {
        fs.writeFileSync(values.out, body);
        ctx.err(`Export écrit dans ${path.resolve(values.out)}\n`);
      } else ctx.out(body);
      return 0;
    },
  },
  {
    name: 'places imports',
    usage: 'places imports [--format json]',
    summary:
      'Liste les imports de lieux (date, auteur, fichier, source, comptes), du plus récent au plus ancien.',
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const imports = await listPlaceImports(db, SYSTEM);
      if (ctx.json) {
        ctx.out(`${JSON.stringify(imports)}\n`);
        return 0;
      }
      if (imports.length === 0) {
        ctx.out("Aucun import n'a encore été fait.\n");
        return 0;
      }
      const lines = imports.map((i) => {
        const c = i.counts;
        const state = i.dryRun
          ? ' [essai]'
          : i.undoneAt
            ? ` [annulé le ${i.undoneAt.toISOString().slice(0, 10)}]`
            : '';
        return `${i.id}  ${i.startedAt.toISOString().slice(0, 16).replace('T', ' ')}  ${i.actor}  ${i.fileName ?? '-'}  source ${i.source ?? '(du fichier)'}  ${c.read ?? 0} lues, ${c.imported ?? 0} nouveaux, ${c.updated ?? 0} mis à jour, ${c.unchanged ?? 0} inchangés, ${c.merged ?? 0} fusionnés, ${c.rejected ?? 0} refusés${c.toReview ? `, ${c.toReview} fusions à vérifier` : ''}${state}`;
      });
      ctx.out(`${lines.join('\n')}\n`);
      return 0;
    },
  },
  {
    name: 'places import-undo',
    usage: 'places import-undo <id-import>',
    summary:
      "Annule un import : les lieux modifiés reprennent leurs valeurs d'avant, les lieux ajoutés sont retirés (du plus récent au plus ancien).",
    options: {},
    needsMigratedDb: true,
    async run(ctx, { positionals }) {
      const id = positionals[0];
      if (!id) throw new UsageError("Indiquez l'identifiant de l'import (voir « places imports »).");
      const { db } = await ctx.open();
      const result = await undoPlaceImport(db, SYSTEM, { id });
      if (ctx.json) ctx.out(`${JSON.stringify(result)}\n`);
      else
        ctx.out(
          `Import annulé : ${result.restored} lieux remis dans leur état précédent, ${result.deleted} lieux retirés.\n`,
        );
      return 0;
    },
  },
  {
    name: 'places merges',
    usage: 'places merges [--format json]',
    summary:
      'Liste les fusions en cours (un même lieu publié par deux sources), et celles proposées qui attendent une vérification sur /fusions.',
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const merges = await listPlaceMerges(db, SYSTEM);
      if (ctx.json) ctx.out(`${JSON.stringify(merges)}\n`);
      else if (merges.length === 0) ctx.out('Aucune fusion en cours.\n');
      else
        ctx.out(
          `${merges.map((m) => `${m.id}  ${m.merged} → ${m.canonical}  (similarité ${Math.round(m.score * 100)} %)${m.pending ? '  [à vérifier : proposée, pas appliquée]' : ''}`).join('\n')}\n`,
        );
      return 0;
    },
  },
  {
    name: 'places unmerge',
    usage: 'places unmerge <id-fusion | id-lieu-fusionné>',
    summary: 'Défait une fusion : les deux fiches redeviennent deux lieux, et ne seront plus fusionnées.',
    options: {},
    needsMigratedDb: true,
    async run(ctx, { positionals }) {
      const id = positionals[0];
      if (!id) throw new UsageError("Indiquez l'identifiant de la fusion (voir « places merges »).");
      const { db } = await ctx.open();
      const result = await unmergePlace(db, SYSTEM, { id });
      if (ctx.json) ctx.out(`${JSON.stringify(result)}\n`);
      else
        ctx.out(
          `${result.pending ? 'Fusion proposée refusée' : 'Fusion défaite'} : les lieux ${result.canonicalId} et ${result.mergedId} sont ${result.pending ? 'gardés' : 'de nouveau'} distincts.\n`,
        );
      return 0;
    },
  },
];
