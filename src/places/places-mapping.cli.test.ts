import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migratedDataDir, runCliInProcess as runCli, tempDir } from '../../test/support/processes.ts';

// One embedded database; the command lines run inside this process (src/cli.ts's runCli).
let dataDir = '';
let folder = '';
const env = () => ({ DATA_DIR: dataDir });

/** A hub's own layout: address in two columns, postcode and commune in one, coordinates in one, own words. */
const HUB_CSV = [
  'Référence;Nom du lieu;Numéro;Voie;CP Ville;Coordonnées;Activités;Lundi;Mardi;Ouverture',
  '12;Médiathèque Maurice-Genevoix;1;rue Mirabeau;45000 Orléans;"47.9029,1.9039";Démarches, Initiation;9h-12h;14h-17h;',
  '13;Espace numérique de la Source;;place Albert-Camus;45100 Orléans;"47.8402,1.9420";Initiation|Café;;;du lundi au vendredi de 9h à 12h',
  '14;Sans position;3;rue de Bourgogne;45000 Orléans;;Démarches;;;',
  ';Sans référence ni nom;;;45000 Orléans;"47.9,1.9";;;;',
].join('\n');

const MAPPING = {
  version: 1,
  source: 'hub-loiret',
  fields: {
    id: { kind: 'column', column: 'Référence' },
    nom: { kind: 'column', column: 'Nom du lieu' },
    adresse: { kind: 'join', columns: ['Numéro', 'Voie'], separator: ' ' },
    code_postal: { kind: 'split', column: 'CP Ville', separator: ' ', part: 1 },
    commune: { kind: 'pattern', column: 'CP Ville', pattern: '^\\d{5}\\s+(.+)$' },
    latitude: { kind: 'split', column: 'Coordonnées', separator: ',', part: 1 },
    longitude: { kind: 'split', column: 'Coordonnées', separator: ',', part: -1 },
    services: { kind: 'column', column: 'Activités' },
    date_maj: { kind: 'fixed', value: '2024-05-02' },
  },
  values: {
    services: {
      démarches: ['Aide aux démarches administratives'],
      INITIATION: ['Maîtrise des outils numériques du quotidien', 'Compréhension du monde numérique'],
    },
  },
  hours: { days: { Mo: ['Lundi'], Tu: ['Mardi'] }, text: 'Ouverture' },
};

before(async () => {
  dataDir = await migratedDataDir();
  folder = tempDir('maillage-mapping-');
  fs.writeFileSync(path.join(folder, 'hub.csv'), HUB_CSV);
  fs.writeFileSync(path.join(folder, 'hub.mapping.json'), JSON.stringify(MAPPING));
});
after(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(folder, { recursive: true, force: true });
});

const file = (name: string) => path.join(folder, name);

describe('cli places import --mapping', () => {
  it('refuses a file in another layout without a mapping in one message naming the missing columns and the way out', async () => {
    const result = await runCli(['places', 'import', file('hub.csv')], env());
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ne suit pas le schéma national des lieux/);
    assert.match(result.stderr, /« id », « nom », « adresse », « commune », « code_postal » manquent/);
    assert.match(result.stderr, /--mapping/);
    assert.match(result.stderr, /Correspondance des colonnes/);
    assert.equal((result.stderr.match(/ligne \d/g) ?? []).length, 0, 'no refusal per row');
  });

  it('refuses a bad mapping file naming the key, as a usage error, and writes nothing', async () => {
    fs.writeFileSync(
      file('bad.json'),
      JSON.stringify({
        ...MAPPING,
        fields: { ...MAPPING.fields, nom: { kind: 'colonne', column: 'Nom du lieu' } },
      }),
    );
    const bad = await runCli(['places', 'import', file('hub.csv'), '--mapping', file('bad.json')], env());
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /« fields\.nom » a un type « colonne » inconnu/);

    fs.writeFileSync(
      file('missing-column.json'),
      JSON.stringify({ ...MAPPING, fields: { ...MAPPING.fields, nom: { kind: 'column', column: 'Nom' } } }),
    );
    const missing = await runCli(
      ['places', 'import', file('hub.csv'), '--mapping', file('missing-column.json')],
      env(),
    );
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /La colonne « Nom » indiquée pour le nom du lieu \(« nom »\) n'existe pas/);

    const otherSource = await runCli(
      ['places', 'import', file('hub.csv'), '--mapping', file('hub.mapping.json'), '--source', 'autre'],
      env(),
    );
    assert.equal(otherSource.code, 2);
    assert.match(otherSource.stderr, /celle de la source « hub-loiret », pas de « autre »/);

    const exported = await runCli(['places', 'export', '--format', 'json'], env());
    assert.deepEqual(JSON.parse(exported.stdout), []);
  });

  it('imports the file through the mapping: joined address, split postcode, coordinates of one column, own words, day columns', async () => {
    const result = await runCli(
      ['places', 'import', file('hub.csv'), '--mapping', file('hub.mapping.json'), '--format', 'json'],
      env(),
    );
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.read, 4);
    assert.equal(report.imported, 3);
    assert.equal(report.rejected, 1);
    const summary = report.warnings.filter((issue: { value: string }) => issue.value === 'Café');
    assert.equal(summary.length, 1, 'one summary warning for an unmapped word, not one per row');
    assert.match(summary[0].message, /le mot « Café » n'a pas de correspondance .* une ligne \(ligne 3\)/);
    const hours = report.warnings.find(
      (issue: { row: number; field: string }) => issue.row === 3 && issue.field === 'horaires',
    );
    assert.match(hours?.message ?? '', /réécrits au format OpenStreetMap : « Mo-Fr 09:00-12:00 »/);

    const exported = await runCli(['places', 'export', '--format', 'json'], env());
    const places = JSON.parse(exported.stdout) as Record<string, unknown>[];
    const byName = new Map(places.map((place) => [place.nom, place]));
    const first = byName.get('Médiathèque Maurice-Genevoix');
    assert.ok(first);
    assert.equal(first.adresse, '1 rue Mirabeau');
    assert.equal(first.code_postal, '45000');
    assert.equal(first.commune, 'Orléans');
    assert.equal(first.latitude, 47.9029);
    assert.equal(first.longitude, 1.9039);
    assert.equal(
      first.services,
      'Aide aux démarches administratives|Maîtrise des outils numériques du quotidien|Compréhension du monde numérique',
    );
    assert.equal(first.horaires, 'Mo 09:00-12:00; Tu 14:00-17:00');
    const second = byName.get('Espace numérique de la Source');
    assert.equal(second?.adresse, 'place Albert-Camus', 'an empty cell of a join is skipped');
    assert.equal(second?.horaires, 'Mo-Fr 09:00-12:00');
  });

  it('suggests a starting mapping from the column names', async () => {
    fs.writeFileSync(file('near.csv'), 'Nom;Code postal;Ville;Lat;Lng;Autre\nA;45000;Orléans;47.9;1.9;x\n');
    const result = await runCli(['places', 'mapping-suggest', file('near.csv'), '--source', 'hub'], env());
    assert.equal(result.code, 0, result.stderr);
    const mapping = JSON.parse(result.stdout);
    assert.equal(mapping.source, 'hub');
    assert.deepEqual(mapping.fields, {
      nom: { kind: 'column', column: 'Nom' },
      code_postal: { kind: 'column', column: 'Code postal' },
      commune: { kind: 'column', column: 'Ville' },
      latitude: { kind: 'column', column: 'Lat' },
      longitude: { kind: 'column', column: 'Lng' },
    });
  });
});
