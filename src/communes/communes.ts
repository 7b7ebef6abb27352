import fs from 'node:fs';
import { createRequire } from 'node:module';
import { DomainError } from '../shared/domain-error.ts';
import type { Territory } from '../shared/territory.ts';

/**
 * Communes from the official package @etalab/decoupage-administratif: codes, names, postcodes,
 * populations, EPCI membership. Loaded once, lazily (the full list is ~35,000 communes).
 */
export interface Commune {
  code: string;
  nom: string;
  departement: string;
  region: string;
  epci: string | null;
  codesPostaux: string[];
  population: number;
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  region?: string;
  codesPostaux?: string[];
  population?: number;
}
interface RawEpci {
  code: string;
  nom: string;
  membres: { code: string }[];
}
interface RawNamed {
  code: string;
  nom: string;
}

const require = createRequire(import.meta.url);

/**
 * Reads one of the package's JSON files. Not through require(): it would keep the parsed file (the 8.6 MB
 * of communes.json, the 4 MB of epci.json) in its cache for the life of the process, beside the maps built
 * from it (docs/decisions/0049).
 */
const readJson = (file: string): unknown =>
  JSON.parse(fs.readFileSync(require.resolve(`@etalab/decoupage-administratif/data/${file}`), 'utf8'));

interface Reference {
  communes: Map<string, Commune>;
  epcis: Map<string, { code: string; nom: string; members: string[] }>;
  departements: Map<string, string>;
  regions: Map<string, string>;
}

let reference: Reference | null = null;

function load(): Reference {
  if (reference) return reference;
  const rawCommunes = readJson('communes.json') as RawCommune[];
  const rawEpcis = readJson('epci.json') as RawEpci[];
  const epciOf = new Map<string, string>();
  const epcis = new Map<string, { code: string; nom: string; members: string[] }>();
  for (const e of rawEpcis) {
    const members = e.membres.map((m) => m.code);
    epcis.set(e.code, { code: e.code, nom: e.nom, members });
    for (const code of members) epciOf.set(code, e.code);
  }
  const communes = new Map<string, Commune>();
  for (const c of rawCommunes) {
    if (c.type !== 'commune-actuelle') continue;
    communes.set(c.code, {
      code: c.code,
      nom: c.nom,
      departement: c.departement ?? '',
      region: c.region ?? '',
      epci: epciOf.get(c.code) ?? null,
      codesPostaux: c.codesPostaux ?? [],
      population: c.population ?? 0,
    });
  }
  const departements = new Map((readJson('departements.json') as RawNamed[]).map((d) => [d.code, d.nom]));
  const regions = new Map((readJson('regions.json') as RawNamed[]).map((r) => [r.code, r.nom]));
  reference = { communes, epcis, departements, regions };
  return reference;
}

export function getCommune(code: string): Commune | null {
  return load().communes.get(code) ?? null;
}

/** The département's name ("Loiret" for 45), or the code itself when unknown. */
export function departementName(code: string): string {
  return load().departements.get(code) ?? code;
}

export interface ResolvedTerritory {
  territory: Territory;
  /** A French name for pages ("Orléans Métropole", "Loiret"…). */
  label: string;
  communes: Commune[];
}

/** Resolves a parsed territory to its current communes; an unknown code is a clear French error. */
export function resolveTerritory(territory: Territory): ResolvedTerritory {
  const ref = load();
  const all = [...ref.communes.values()];
  switch (territory.kind) {
    case 'fr':
      return { territory, label: 'France', communes: all };
    case 'com': {
      const communes = territory.codes.map((code) => {
        const commune = ref.communes.get(code);
        if (!commune)
          throw new DomainError('not_found', `Aucune commune n'a le code INSEE « ${code} ».`, { code });
        return commune;
      });
      return { territory, label: communes.map((c) => c.nom).join(', '), communes };
    }
    case 'epci': {
      const epci = ref.epcis.get(territory.code);
      if (!epci)
        throw new DomainError('not_found', `Aucun EPCI n'a le code « ${territory.code} ».`, territory);
      const communes = epci.members.map((code) => ref.communes.get(code)).filter((c): c is Commune => !!c);
      return { territory, label: epci.nom, communes };
    }
    case 'dep': {
      const nom = ref.departements.get(territory.code);
      if (!nom)
        throw new DomainError('not_found', `Aucun département n'a le code « ${territory.code} ».`, territory);
      return { territory, label: nom, communes: all.filter((c) => c.departement === territory.code) };
    }
    case 'reg': {
      const nom = ref.regions.get(territory.code);
      if (!nom)
        throw new DomainError('not_found', `Aucune région n'a le code « ${territory.code} ».`, territory);
      return { territory, label: nom, communes: all.filter((c) => c.region === territory.code) };
    }
  }
}

/** An EPCI's name from its SIREN, or null when no EPCI has it. */
export function epciName(code: string): string | null {
  return load().epcis.get(code)?.nom ?? null;
}
