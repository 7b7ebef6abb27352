import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readReference } from '../../test/support/reference-data.ts';
import {
  ACTIVITY_KIND_LABELS,
  ADMINISTRATIVE_HELP,
  ADMINISTRATIVE_THEME_LABELS,
  AGE_BAND_LABELS,
  AUTONOMY_LABELS,
  AUTONOMY_STARS,
  COOP_ENUMS,
  CUSTOM_DURATION,
  DIGITAL_THEME_LABELS,
  DURATION_PRESETS,
  EQUIPMENT_LABELS,
  GENDER_LABELS,
  LEGACY_ACTIVITY_KINDS,
  PLACE_KIND_LABELS,
  REDIRECTION_LABELS,
  SOCIAL_STATUS_LABELS,
  WORKSHOP_LEVEL_LABELS,
  WORKSHOP_LEVEL_STARS,
} from './vocabulary.ts';

/**
 * Maillage's activity vocabulary against La Coop de la médiation numérique, pinned in
 * shared/data/coop-mediation-numerique/ (see its PROVENANCE.md): every value of every enum of the Coop's
 * activity, coordination and beneficiary records has its Maillage value, and Maillage has none the Coop
 * lacks; the labels are the Coop's form labels. When the Coop adds a value, this test names it: add it
 * to src/activities/activities.ts and widen the checks of the activity tables in a new migration.
 */

const COOP = 'coop-mediation-numerique';
const read = (...parts: string[]) => readReference(COOP, ...parts).toString('utf8');
const enums = JSON.parse(read('enums.json')) as Record<string, string[]>;
const prisma = read('schema.prisma');

/** The Coop's Prisma enums: name → (TypeScript key → stored value), from `Key @map("value")`. */
function prismaEnums(schema: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const m of schema.matchAll(/^enum (\w+) \{([^}]*)\}/gm)) {
    const values = new Map<string, string>();
    for (const line of (m[2] as string).matchAll(/^\s*(\w+)\s+@map\("([^"]+)"\)/gm))
      values.set(line[1] as string, line[2] as string);
    out.set(m[1] as string, values);
  }
  return out;
}
const PRISMA = prismaEnums(prisma);

/** An object literal of labels in a Coop source file: `Key: 'label'` pairs of `export const name … = {`. */
function labelsIn(source: string, name: string): Map<string, string> {
  const start = source.indexOf(`export const ${name}`);
  assert.ok(start >= 0, `${name} is in the pinned file`);
  const open = source.indexOf('= {', start) + 2;
  let depth = 0;
  let end = open;
  for (; end < source.length; end++) {
    if (source[end] === '{') depth++;
    else if (source[end] === '}' && --depth === 0) break;
  }
  const body = source.slice(open, end + 1);
  const out = new Map<string, string>();
  for (const m of body.matchAll(/(\w+):\s*'((?:[^'\\]|\\.)*)'/g)) out.set(m[1] as string, m[2] as string);
  return out;
}

/** Labels keyed by the stored value, through the enum's `@map`. */
function labelsByValue(enumName: string, labels: Map<string, string>): Record<string, string> {
  const map = PRISMA.get(enumName);
  assert.ok(map, `enum ${enumName} in schema.prisma`);
  const out: Record<string, string> = {};
  for (const [key, label] of labels) {
    const value = map.get(key);
    assert.ok(value, `${enumName}.${key} has a @map in schema.prisma`);
    out[value] = label;
  }
  return out;
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe("La Coop's vocabulary, pinned", () => {
  it('maps every enum of the Coop’s records, and no enum the Coop does not have', () => {
    assert.ok(Object.keys(enums).length >= 18, `read ${Object.keys(enums).length} enums`);
    assert.deepEqual(sorted(Object.keys(COOP_ENUMS)), sorted(Object.keys(enums)));
  });

  for (const [name, values] of Object.entries(enums)) {
    it(`speaks every value of ${name}, and none the Coop lacks`, () => {
      const ours = COOP_ENUMS[name];
      assert.ok(ours, `${name}: no Maillage list speaks this Coop enum`);
      const missing = values.filter((v) => !Object.hasOwn(ours, v));
      const extra = Object.keys(ours).filter((v) => !values.includes(v));
      assert.deepEqual(missing, [], `${name}: Coop values without a Maillage mapping`);
      assert.deepEqual(extra, [], `${name}: Maillage values the Coop does not have`);
      // enums.json is extracted from schema.prisma: both say the same.
      assert.deepEqual(sorted(PRISMA.get(name)?.values() ?? []), sorted(values), `${name} in schema.prisma`);
    });
  }

  it('labels activities, places, equipment, autonomy, redirections and levels as the Coop’s form', () => {
    const cases: [string, string, string, Record<string, string>][] = [
      ['fields-type-activite.ts', 'typeActiviteLabels', 'TypeActivite', ACTIVITY_KIND_LABELS],
      ['fields-type-lieu.ts', 'typeLieuLabels', 'TypeLieu', PLACE_KIND_LABELS],
      ['fields-materiel.ts', 'materielLabels', 'Materiel', EQUIPMENT_LABELS],
      ['fields-autonomie.ts', 'autonomieLabels', 'Autonomie', AUTONOMY_LABELS],
      [
        'fields-structures-redirection.ts',
        'structuresRedirectionLabels',
        'StructureDeRedirection',
        REDIRECTION_LABELS,
      ],
      ['fields-niveau-atelier.ts', 'niveauAtelierLabels', 'NiveauAtelier', WORKSHOP_LEVEL_LABELS],
    ];
    for (const [file, object, enumName, ours] of cases)
      assert.deepEqual(
        { ...ours },
        labelsByValue(enumName, labelsIn(read(file), object)),
        `${file} ${object}`,
      );
  });

  it('splits the themes as the Coop: digital ones, and administrative ones behind "aide aux démarches"', () => {
    const source = read('fields-thematique.ts');
    assert.deepEqual(
      { ...DIGITAL_THEME_LABELS },
      labelsByValue('Thematique', labelsIn(source, 'thematiquesNonAdministrativesLabels')),
    );
    assert.deepEqual(
      { ...ADMINISTRATIVE_THEME_LABELS },
      labelsByValue('Thematique', labelsIn(source, 'thematiquesAdministrativesLabels')),
    );
    assert.ok(Object.hasOwn(DIGITAL_THEME_LABELS, ADMINISTRATIVE_HELP));
  });

  it('labels the beneficiaries’ gender, age band and social status as the Coop', () => {
    const cases: [string, string, string, Record<string, string>][] = [
      ['genre.ts', 'genreLabels', 'Genre', GENDER_LABELS],
      ['tranche-age.ts', 'trancheAgeLabels', 'TrancheAge', AGE_BAND_LABELS],
      ['statut-social.ts', 'statutSocialLabels', 'StatutSocial', SOCIAL_STATUS_LABELS],
    ];
    for (const [file, object, enumName, ours] of cases)
      assert.deepEqual(
        { ...ours },
        labelsByValue(enumName, labelsIn(read('beneficiaire', file), object)),
        file,
      );
  });

  it('counts stars of autonomy and workshop level as the Coop’s export', () => {
    const stars = (file: string, object: string, enumName: string) => {
      const source = read(file);
      const start = source.indexOf(`export const ${object}`);
      const body = source.slice(
        source.indexOf('= {', start),
        source.indexOf('}', source.indexOf('= {', start)),
      );
      const map = PRISMA.get(enumName) as Map<string, string>;
      return Object.fromEntries(
        [...body.matchAll(/(\w+):\s*(\d+)/g)].map((m) => [map.get(m[1] as string), Number(m[2])]),
      );
    };
    assert.deepEqual({ ...AUTONOMY_STARS }, stars('fields-autonomie.ts', 'autonomieStars', 'Autonomie'));
    assert.deepEqual(
      { ...WORKSHOP_LEVEL_STARS },
      stars('fields-niveau-atelier.ts', 'niveauAtelierStars', 'NiveauAtelier'),
    );
  });

  it('offers the Coop’s duration presets and its custom choice', () => {
    const source = read('fields-duree-accompagnement.ts');
    const block = source.slice(source.indexOf('dureeAccompagnementParDefautLabels'));
    const presets = [...block.slice(0, block.indexOf('} as const')).matchAll(/'(\d+)':/g)].map((m) =>
      Number(m[1]),
    );
    assert.deepEqual([...DURATION_PRESETS], presets);
    assert.match(source, new RegExp(`dureeAccompagnementPersonnaliseeValue = '${CUSTOM_DURATION}'`));
  });

  it('maps the old type `demarche`, which the Coop merged into `individuel`, to a kind the Coop has', () => {
    assert.ok(!enums.TypeActivite?.includes('demarche'));
    for (const legacy of Object.values(LEGACY_ACTIVITY_KINDS)) {
      assert.ok(enums.TypeActivite?.includes(legacy.kind));
      assert.ok(enums.Thematique?.includes(legacy.theme));
    }
    assert.match(read('PROVENANCE.md'), /`demarche`/);
  });
});
