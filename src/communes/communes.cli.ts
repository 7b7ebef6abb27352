import fs from 'node:fs';
import path from 'node:path';
import { type CliCommand, UsageError } from '../shared/cli-kit.ts';
import { DomainError } from '../shared/domain-error.ts';
import { importCommuneGeometry } from './communes.service.ts';

export const communesCommands: CliCommand[] = [
  {
    name: 'geo import',
    usage: 'geo import <fichier.geojson> [--format json]',
    summary: 'Charge les contours des communes et un point de référence par commune.',
    options: {},
    needsMigratedDb: true,
    async run(ctx, { positionals }) {
      const file = positionals[0];
      if (!file) throw new UsageError('Indiquez le fichier GeoJSON des communes.');
      if (!fs.existsSync(file)) throw new DomainError('invalid_file', `Le fichier « ${file} » n'existe pas.`);
      const { db } = await ctx.open();
      const report = await importCommuneGeometry(
        db,
        { kind: 'system' },
        { bytes: fs.readFileSync(file), fileName: path.basename(file) },
      );
      if (ctx.json) {
        ctx.out(`${JSON.stringify(report)}\n`);
        return 0;
      }
      const m = report.methods;
      ctx.out(
        `${report.read} communes lues, ${report.imported} chargées, ${report.rejected} refusées.\n` +
          `Points de référence : ${m.centre} « centre », ${m.centre_geoapi} « centre_geoapi », ${m.interior_point} calculés dans le contour.\n`,
      );
      for (const e of report.errors.slice(0, 20)) ctx.out(`  refusé : ${e.message}\n`);
      for (const w of report.warnings.slice(0, 20)) ctx.out(`  attention : ${w.message}\n`);
      return 0;
    },
  },
];
