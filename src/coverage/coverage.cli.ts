import { type CliCommand, UsageError } from '../shared/cli-kit.ts';
import { formatInteger } from '../shared/format.ts';
import { parseTerritory } from '../shared/territory.ts';
import { analyseTerritoryCoverage } from './coverage.service.ts';
import { coverageToJson, parseCoverageOptions } from './coverage.ts';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

export const coverageCommands: CliCommand[] = [
  {
    name: 'coverage analyse',
    usage:
      'coverage analyse --territory TERRITOIRE [--service S] [--max-km K | --max-min M --mode car|walk] [--suggest N] [--itinerant K] [--format json]',
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
    },
    needsMigratedDb: true,
    async run(ctx, { values }) {
      if (values.format !== undefined && values.format !== 'json')
        throw new UsageError('--format accepte seulement « json ».');
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
      const { db } = await ctx.open();
      if (territory.territory.kind === 'fr' && ctx.stderrIsTty) ctx.err('Analyse nationale en cours…\n');
      const result = await analyseTerritoryCoverage(db, { territory: territory.territory, ...options });
      const json = {
        territory: territoryText,
        label: result.label,
        ...coverageToJson(result.analysis),
        missing_reference_points: result.missingReferencePoints,
      };
      if (ctx.json) {
        ctx.out(`${JSON.stringify(json)}\n`);
        return 0;
      }
      const a = result.analysis;
      const lines = [
        `Couverture : ${result.label}${a.service ? `, service « ${a.service} »` : ', tous services'}`,
        `  ${formatInteger(a.populationTotal)} habitants, dont ${formatInteger(a.populationBeyond)} au-delà du seuil (${a.radiusKm} km à vol d'oiseau)`,
        `  ${a.communes.filter((c) => c.beyond).length} communes sur ${a.communes.length} au-delà du seuil`,
      ];
      if (result.missingReferencePoints.length)
        lines.push(
          `  ${result.missingReferencePoints.length} communes sans point de référence, non mesurées : ${result.missingReferencePoints.map((c) => c.code).join(', ')}`,
        );
      if (a.suggestions.length) {
        lines.push('', 'Où ouvrir :');
        for (const s of a.suggestions)
          lines.push(`  - ${s.nom} (${s.code}) : +${formatInteger(s.addedPopulation)} habitants à portée`);
      }
      if (a.itinerant.stops.length) {
        lines.push('', "Arrêts d'un service itinérant (une demi-journée chacun) :");
        for (const s of a.itinerant.stops)
          lines.push(`  ${s.halfDay}. ${s.nom} (${s.code}) : +${formatInteger(s.addedPopulation)} habitants`);
      }
      ctx.out(`${lines.join('\n')}\n`);
      return 0;
    },
  },
];
