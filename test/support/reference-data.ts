import fs from 'node:fs';
import path from 'node:path';

/** The shared reference data folder (MAILLAGE_REFERENCE_DATA); a missing file fails the test loudly. */
export function referencePath(...parts: string[]): string {
  const folder = path.resolve(
    process.env.MAILLAGE_REFERENCE_DATA ?? path.join(process.cwd(), '../shared/data'),
  );
  const file = path.join(folder, ...parts);
  if (!fs.existsSync(file)) throw new Error(`Reference file missing: ${file} (set MAILLAGE_REFERENCE_DATA)`);
  return file;
}

export function readReference(...parts: string[]): Buffer {
  return fs.readFileSync(referencePath(...parts));
}

export const PACA_FILE = [
  'lieux',
  '20230517-hub-du-sud-lieux-de-mediation-numeriques-provence-alpes-cote-d-azur.json',
];
export const AURA_V0_FILE = ['lieux', 'hinaura-auvergne-rhone-alpes-v0.json'];
/** A regional hub's own layout (Angers) and the national transformer's configuration for it. */
export const ANGERS_RAW_FILE = ['lieux', 'raw', 'angers.json'];
export const ANGERS_TRANSFORMER_CONFIG = ['lieux', 'raw', 'angers.config.json'];
