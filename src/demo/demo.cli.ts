import fs from 'node:fs';
import path from 'node:path';
import { type CliCommand, UsageError } from '../shared/cli-kit.ts';
import { DomainError } from '../shared/domain-error.ts';
import { removeDemo } from './demo.service.ts';
import { buildDemoOutlines, serializeDemoOutlines } from './demo-outlines.ts';

/** Where the committed outlines live, beside this file. */
export const DEMO_OUTLINES_FILE = new URL('./demo-outlines.json', import.meta.url);

export const demoCommands: CliCommand[] = [
  {
    name: 'demo remove',
    usage: 'demo remove',
    summary: 'Supprime toutes les données de démonstration (elles ne reviendront pas).',
    options: {},
    needsMigratedDb: true,
    async run(ctx) {
      const { db } = await ctx.open();
      const removed = await removeDemo(db, { kind: 'system' });
      if (ctx.json) ctx.out(`${JSON.stringify({ removed })}\n`);
      else
        ctx.out(
          `Données de démonstration supprimées : ${removed.places} lieux, ${removed.orientations} orientations, ${removed.activities} activités.\n`,
        );
      return 0;
    },
  },
  {
    name: 'demo outlines',
    usage: 'demo outlines [communes-orleans-metropole.geojson] [--format json]',
    summary:
      'Régénère src/demo/demo-outlines.json (contours simplifiés des 22 communes de démonstration, IGN ADMIN EXPRESS, Licence Ouverte 2.0).',
    options: {},
    needsMigratedDb: false,
    async run(ctx, { positionals }) {
      const file =
        positionals[0] ??
        path.join(
          process.env.MAILLAGE_REFERENCE_DATA ?? path.join(process.cwd(), '../shared/data'),
          'geo',
          'communes-orleans-metropole.geojson',
        );
      if (!fs.existsSync(file)) throw new DomainError('invalid_file', `Le fichier « ${file} » n'existe pas.`);
      let collection: unknown;
      try {
        collection = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        throw new DomainError('invalid_file', `Le fichier « ${file} » n'est pas du JSON lisible.`);
      }
      let text: string;
      let count: number;
      try {
        const outlines = buildDemoOutlines(collection);
        count = outlines.communes.length;
        text = serializeDemoOutlines(outlines);
      } catch {
        throw new UsageError(`Le fichier « ${file} » n'est pas une collection GeoJSON de communes.`);
      }
      if (count === 0)
        throw new DomainError('invalid_file', `Le fichier « ${file} » ne contient aucun contour de commune.`);
      fs.writeFileSync(DEMO_OUTLINES_FILE, text);
      if (ctx.json) ctx.out(`${JSON.stringify({ communes: count, bytes: Buffer.byteLength(text) })}\n`);
      else
        ctx.out(
          `${count} contours écrits dans src/demo/demo-outlines.json (${Buffer.byteLength(text)} octets).\n`,
        );
      return 0;
    },
  },
];
