import fs from 'node:fs';
import { type CliCommand, progressBar, UsageError } from '../shared/cli-kit.ts';
import { DomainError } from '../shared/domain-error.ts';
import { formatInteger } from '../shared/format.ts';
import { parseTerritory } from '../shared/territory.ts';
import { analyseNetworkCoverage, importCoverageWeights } from './coverage.service.ts';
import { type CsvIssue, parseCandidatesCsv } from './coverage-csv.ts';
import { coverageToGeoJson, coverageToJson } from './coverage-export.ts';
import { parseCoverageOptions } from './reach.ts';

function readText(file: string, label: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new DomainError(
      'not_found',
      `Le fichier ${label} « ${file} » ne peut pas être lu (${(error as NodeJS.ErrnoException).code ?? 'erreur'}).`,
      { file },
    );
  }
}

const issueLine = (i: CsvIssue) => `  ligne ${i.row}, ${i.field} « ${i.value} » : ${i.message}`;

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

export const coverageCommands: CliCommand[] = [
  {
    name: 'coverage analyse',
    usage:
      'coverage analyse --territory TERRITOIRE [--service S] [--max-km K | --max-min M --mode car|walk] [--suggest N] [--itinerant K] [--candidates FICHIER.csv] [--format json|geojson]',
    summary:
      'Mesure la distance de chaque commune au lieu le plus proche, la population au-delà du seuil (10 km par défaut) et propose où ouvrir.',
    options: {
      territory: { type: 'string' },
      service: { type: 'string' },
      'max-km': { type: 'string' },
      'max-min': { type: 'string' },
      mode: { type: 'string' },
      suggest: { type: 'string' },
      itinerant: { type: 'string' },
      candidates: { type: 'string' },
    },
    needsMigratedDb: true,
    async run(ctx, { values }) {
      if (values.format !== undefined && values.format !== 'json' && values.format !== 'geojson')
        throw new UsageError('--format accepte « json » ou « geojson ».');
      const territoryText = str(values.territory);
      if (!territoryText)
        throw new UsageError('Indiquez le territoire : --territory epci:244500468, dep:45, fr…');
      const territory = parseTerritory(territoryText);
      if (!territory.ok) throw new UsageError(territory.message);
      const options = parseCoverageOptions({
        service: str(values.service),
        maxKm: str(values['max-km']),
        maxMin: str(values['max-min']),
        mode: str(values.mode),
        suggest: str(values.suggest),
        itinerant: str(values.itinerant),
      });
      const candidatesFile = str(values.candidates);
      const candidates = candidatesFile
        ? parseCandidatesCsv(readText(candidatesFile, 'de sites candidats'))
        : null;
      const { db } = await ctx.open();
      const geojson = values.format === 'geojson';
      const result = await analyseNetworkCoverage(
        db,
        { kind: 'system' },
        {
          territory: territory.territory,
          ...options,
          ...(candidates ? { candidates: candidates.candidates } : {}),
          withOutlines: geojson,
          onProgress: progressBar(ctx, 'Communes mesurées'),
        },
      );
      const candidateIssues = [...(candidates?.issues ?? []), ...result.candidateIssues].sort(
        (a, b) => a.row - b.row,
      );
      if (geojson) {
        ctx.out(
          `${JSON.stringify(coverageToGeoJson(result.analysis, result.outlines, { internal: true }))}\n`,
        );
        return 0;
      }
      const json = {
        territory: territoryText,
        label: result.label,
        ...coverageToJson(result.analysis, result.names),
        missing_reference_points: result.missingReferencePoints,
        candidates_rejected: candidateIssues,
      };
      if (ctx.json) {
        ctx.out(`${JSON.stringify(json)}\n`);
        return 0;
      }
      const a = result.analysis;
      const lines = [
        `Couverture : ${result.label}${a.service ? `, service « ${a.service} »` : ', tous services'}${a.weighted ? ' (population pondérée par les poids importés)' : ''}`,
        `  ${formatInteger(a.populationTotal)} habitants, dont ${formatInteger(a.populationBeyond)} au-delà du seuil (${a.radiusKm} km à vol d'oiseau)`,
        `  ${a.communes.filter((c) => c.beyond).length} communes sur ${a.communes.length} au-delà du seuil`,
      ];
      if (result.missingReferencePoints.length)
        lines.push(
          `  ${result.missingReferencePoints.length} communes sans point de référence, non mesurées : ${result.missingReferencePoints.map((c) => c.code).join(', ')}`,
        );
      if (candidateIssues.length) {
        lines.push(`  ${candidateIssues.length} sites candidats écartés :`);
        for (const i of candidateIssues) lines.push(issueLine(i));
      }
      if (a.suggestions.length) {
        lines.push('', 'Où ouvrir :');
        for (const s of a.suggestions)
          lines.push(
            `  - ${s.nom}${s.code ? ` (${s.code})` : ''} : +${formatInteger(s.addedPopulation)} habitants à portée`,
          );
      }
      if (a.itinerant.stops.length) {
        lines.push('', "Arrêts d'un service itinérant (une demi-journée chacun) :");
        for (const s of a.itinerant.stops)
          lines.push(
            `  ${s.halfDay}. ${s.nom}${s.code ? ` (${s.code})` : ''} : +${formatInteger(s.addedPopulation)} habitants`,
          );
      }
      ctx.out(`${lines.join('\n')}\n`);
      return 0;
    },
  },
  {
    name: 'coverage weights',
    usage: 'coverage weights import FICHIER.csv [--format json]',
    summary:
      "Importe un poids de besoin par commune (CSV « code,weight », virgule ou point-virgule) : l'analyse pondère alors la population.",
    options: {},
    needsMigratedDb: true,
    async run(ctx, { positionals }) {
      const [action, file] = positionals;
      if (action !== 'import' || !file)
        throw new UsageError('Utilisation : coverage weights import FICHIER.csv');
      const text = readText(file, 'de poids');
      const { db } = await ctx.open();
      const result = await importCoverageWeights(db, { kind: 'system' }, { text });
      if (ctx.json) {
        ctx.out(`${JSON.stringify({ imported: result.imported, rejected: result.issues })}\n`);
        return 0;
      }
      const lines = [`${formatInteger(result.imported)} poids importés.`];
      if (result.issues.length) {
        lines.push(`${result.issues.length} lignes écartées :`);
        for (const i of result.issues) lines.push(issueLine(i));
      }
      ctx.out(`${lines.join('\n')}\n`);
      return 0;
    },
  },
];
