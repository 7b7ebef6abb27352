import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as XLSX from '@e965/xlsx';
import { coopLine, coopRows, csvOf, xlsxOf } from '../../test/support/coop-fixtures.ts';
import { craftedZip, deflatedZip } from '../../test/support/crafted-zip.ts';
import {
  type Cell,
  type CoopColumn,
  dayToSerial,
  EXPORT_COLUMNS,
  readCoopExport,
  readSheetRows,
} from './coop-sheet.ts';
import { type ExportRecord, writeCoopCsv, writeCoopXlsx } from './coop-sheet-write.ts';

const TODAY = '2026-06-15';
const PLACES = [{ id: '11111111-1111-4111-8111-111111111111', name: 'Médiathèque Sud' }];

const read = (bytes: Uint8Array) => readCoopExport(bytes, { today: TODAY, places: PLACES });

describe('reading a Coop export', () => {
  it('reads an individual accompaniment from XLSX: labels to values, stars, lists, the place matched', () => {
    const r = read(xlsxOf(coopRows([coopLine()])));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.errors, []);
    assert.equal(r.format, 'xlsx');
    const a = r.activities[0];
    assert.ok(a);
    assert.equal(a.externalId, 'cra-1');
    assert.deepEqual(a.rows, [6]);
    assert.equal(a.placeMatched, true);
    assert.equal(a.placeName, 'Médiathèque sud');
    assert.deepEqual(
      {
        kind: a.fields.kind,
        date: a.fields.date,
        duration: a.fields.durationMinutes,
        placeId: a.fields.placeId,
        themes: a.fields.themes,
        equipment: a.fields.equipment,
        autonomy: a.fields.autonomy,
        oriented: a.fields.oriented,
        gender: a.fields.participants.gender.feminin,
        age: a.fields.participants.ageBand.soixante_soixante_neuf,
        status: a.fields.participants.socialStatus.retraite,
      },
      {
        kind: 'individuel',
        date: '2026-05-04',
        duration: 30,
        placeId: PLACES[0]?.id,
        themes: ['email', 'navigation_sur_internet'],
        equipment: ['ordinateur', 'telephone'],
        autonomy: 'partiellement_autonome',
        oriented: false,
        gender: 1,
        age: 1,
        status: 1,
      },
    );
  });

  it('reads the same from CSV, with semicolons or commas, dates as dd/mm/yyyy', () => {
    for (const delimiter of [';', ',']) {
      const r = read(csvOf(coopRows([coopLine()]), delimiter));
      assert.ok(r.ok && r.errors.length === 0, JSON.stringify(r));
      assert.equal(r.format, 'csv');
      assert.equal(r.activities[0]?.fields.date, '2026-05-04');
      assert.deepEqual(r.activities[0]?.fields.themes, ['email', 'navigation_sur_internet']);
    }
  });

  it('reads a CSV saved by Excel in Windows-1252, and a workbook of the 1904 date system', () => {
    const text = new TextDecoder().decode(csvOf(coopRows([coopLine()])));
    const latin = Uint8Array.from(
      [...text].map((ch) => {
        const code = ch === '’' ? 0x92 : ch.charCodeAt(0);
        assert.ok(code < 256, ch);
        return code;
      }),
    );
    const r = read(latin);
    assert.ok(r.ok && r.errors.length === 0, JSON.stringify(r));
    assert.deepEqual(r.activities[0]?.fields.themes, ['email', 'navigation_sur_internet']);

    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet(coopRows([coopLine({ date: dayToSerial('2026-05-04') - 1462 })])),
      'Activités',
    );
    wb.Workbook = { WBProps: { date1904: true } };
    const r1904 = read(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Uint8Array);
    assert.ok(r1904.ok && r1904.errors.length === 0, JSON.stringify(r1904));
    assert.equal(r1904.activities[0]?.fields.date, '2026-05-04');
  });

  it('reads both header variants, with or without "Source de la donnée"', () => {
    const self: CoopColumn[] = EXPORT_COLUMNS.filter(
      (c) => !['mediatorFirstName', 'mediatorLastName', 'role', 'conumId'].includes(c),
    );
    self.splice(self.indexOf('participants') + 1, 0, 'beneficiary');
    self.splice(self.indexOf('idCra'), 0, 'notes', 'dataSource');
    const r = read(
      xlsxOf(
        coopRows(
          [coopLine({ beneficiary: 'Anonyme', notes: 'Mme X', dataSource: 'Espace coop (V1)' })],
          self,
        ),
      ),
    );
    assert.ok(r.ok && r.errors.length === 0, JSON.stringify(r));
    assert.equal(r.activities.length, 1);
  });

  it('groups the lines of a workshop by ID CRA into one record with its counts', () => {
    const workshop = (i: number, gender: string, age: string) =>
      coopLine({
        type: 'Atelier collectif',
        participants: `${i}/3`,
        workshopTitle: 'Premiers pas',
        stars: '1/3',
        oriented: '',
        gender,
        ageBand: age,
        socialStatus: 'Non communiqué ou hétérogène',
        idCra: 'w-1',
      });
    const r = read(
      xlsxOf(
        coopRows([
          workshop(1, 'Masculin', '25 - 39 ans'),
          workshop(2, 'Féminin', '25 - 39 ans'),
          workshop(3, 'Féminin', 'Non communiqué'),
        ]),
      ),
    );
    assert.ok(r.ok && r.errors.length === 0, JSON.stringify(r));
    const a = r.activities[0];
    assert.equal(r.activities.length, 1);
    assert.equal(a?.fields.kind, 'collectif');
    assert.equal(a?.fields.workshopLevel, 'debutant');
    assert.deepEqual(a?.fields.participants.gender, { masculin: 1, feminin: 2, non_communique: 0 });
    assert.equal(a?.fields.participants.ageBand.vingt_cinq_trente_neuf, 2);
    assert.equal(a?.fields.participants.total, 3);
  });

  it('reads the old type "Démarche administrative" as an individual record with "aide aux démarches"', () => {
    const r = read(
      xlsxOf(coopRows([coopLine({ type: 'Démarche administrative', themes: 'Logement', procedure: 'APL' })])),
    );
    assert.ok(r.ok && r.errors.length === 0, JSON.stringify(r));
    assert.equal(r.activities[0]?.fields.kind, 'individuel');
    assert.deepEqual(r.activities[0]?.fields.themes, ['logement', 'aide_aux_demarches_administratives']);
  });

  it('keeps a place name that is none of the structure’s places', () => {
    const r = read(xlsxOf(coopRows([coopLine({ placeName: 'France Services Nord' })])));
    assert.ok(r.ok && r.errors.length === 0);
    assert.equal(r.activities[0]?.placeMatched, false);
    assert.equal(r.activities[0]?.fields.placeId, null);
    assert.equal(r.activities[0]?.placeName, 'France Services Nord');
  });

  it('names the row and the column of every refusal, in French', () => {
    const r = read(
      xlsxOf(
        coopRows([
          coopLine({ idCra: 'a', date: '01/01/2027' }),
          coopLine({ idCra: 'b', duration: 0 }),
          coopLine({ idCra: 'c', duration: 1440 }),
          coopLine({ idCra: 'd', themes: 'Logement' }),
          coopLine({ idCra: 'e', type: 'Atelier collectif', participants: '1/3', stars: '', oriented: '' }),
          coopLine({ idCra: 'e', type: 'Atelier collectif', participants: '2/3', stars: '', oriented: '' }),
          coopLine({ idCra: 'f', stars: '5 étoiles' }),
          coopLine({ idCra: 'g', gender: 'Autre' }),
        ]),
      ),
    );
    assert.ok(r.ok);
    const got = r.errors.map((e) => `${e.row}|${e.column}`);
    assert.deepEqual(got, [
      '6|Date',
      '7|Durée (min)',
      '8|Durée (min)',
      '9|Thématique(s) d’accompagnement',
      '10|Participants',
      '12|Niveau d’autonomie (ou de l’atelier)',
      '13|Genre du bénéficiaire',
    ]);
    assert.match(r.errors[0]?.message ?? '', /futur/);
    assert.match(r.errors[2]?.message ?? '', /23 h 59/);
    assert.match(r.errors[3]?.message ?? '', /Aide aux démarches administratives/);
    assert.match(r.errors[4]?.message ?? '', /ne correspondent pas/);
  });

  it('refuses another layout, naming the missing columns', () => {
    const rows: Cell[][] = [
      ['Nom', 'Date', 'Montant'],
      ['A', '01/01/2026', '3'],
    ];
    const r = read(xlsxOf(rows));
    assert.ok(!r.ok);
    assert.match(r.error, /« ID CRA »/);
    const partial = coopRows(
      [coopLine()],
      EXPORT_COLUMNS.filter((c) => c !== 'themes' && c !== 'duration'),
    );
    const p = read(xlsxOf(partial));
    assert.ok(!p.ok);
    assert.match(p.error, /ligne 5/);
    assert.match(p.error, /Il manque : « Durée \(min\) », « Thématique\(s\) d’accompagnement »/);
  });

  it('refuses files that are no spreadsheet, broken or empty, with a French message', () => {
    const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    const r1 = read(pdf);
    assert.ok(!r1.ok && /PDF/.test(r1.error));
    const good = xlsxOf(coopRows([coopLine()]));
    const r2 = read(good.slice(0, good.length / 2));
    assert.ok(!r2.ok && /abîmé|ni un tableau/.test(r2.error), JSON.stringify(r2));
    const r3 = read(new Uint8Array());
    assert.ok(!r3.ok && /vide/.test(r3.error));
    const r4 = read(new Uint8Array([0x00, 0x01, 0x02, 0x03, 0xff]));
    assert.ok(!r4.ok && /ni un tableau/.test(r4.error));
    const r5 = read(csvOf(coopRows([])));
    assert.ok(!r5.ok && /aucune activité/.test(r5.error));
    const r6 = read(new TextEncoder().encode('Date;ID CRA\n"01/01/2026;x\n'));
    assert.ok(!r6.ok && /mal formé/.test(r6.error));
    assert.ok(!readSheetRows(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0])).ok);
    // A zip that is no workbook (a Word document).
    const cfb = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(cfb, 'word/document.xml', Buffer.from('<w:document/>'));
    const docx = read(new Uint8Array(XLSX.CFB.write(cfb, { fileType: 'zip', type: 'buffer' }) as Buffer));
    assert.ok(!docx.ok && /pas un classeur Excel/.test(docx.error), JSON.stringify(docx));
  });

  it('refuses, before unzipping it, a small zip whose directory declares gigabytes', () => {
    const bomb = craftedZip(3_000_000_000);
    assert.ok(bomb.length < 200, `${bomb.length} bytes`);
    const r = readSheetRows(bomb);
    assert.ok(!r.ok && /plus de 50 Mo une fois décompressé/.test(r.error), JSON.stringify(r));
    // Just over the limit, or a ZIP64 marker: refused too; a real export passes.
    assert.ok(!readSheetRows(craftedZip(50 * 1024 * 1024 + 1)).ok);
    assert.ok(!readSheetRows(craftedZip(0xffffffff)).ok);
    assert.ok(readSheetRows(xlsxOf(coopRows([coopLine()]))).ok);
  });

  it('refuses a zip whose directory declares little but whose data inflates to much more', () => {
    // 20 MB of data in a 20 KB file, declared as 1,000 bytes, its local header saying 0.
    const lying = deflatedZip(new Uint8Array(20_000_000).fill(65), 1000, 0);
    assert.ok(lying.length < 50_000, `${lying.length} bytes`);
    const r = readSheetRows(lying);
    assert.ok(!r.ok && /abîmé/.test(r.error), JSON.stringify(r));
  });
});

describe('writing the Coop layout', () => {
  const record = (changes: Partial<ExportRecord> = {}): ExportRecord => ({
    id: '22222222-2222-4222-8222-222222222222',
    source: 'maillage',
    externalId: null,
    kind: 'collectif',
    date: '2026-05-04',
    durationMinutes: 90,
    placeKind: 'lieu_activite',
    placeName: 'Médiathèque Sud',
    communeCode: '45234',
    postalCode: '45000',
    themes: ['email'],
    equipment: [],
    procedureDetails: null,
    autonomy: null,
    oriented: null,
    redirection: null,
    beneficiaryCommuneCode: null,
    workshopTitle: '=Atelier',
    workshopLevel: 'avance',
    participants: {
      total: 2,
      alreadyAccompanied: 0,
      gender: { masculin: 1, feminin: 0, non_communique: 1 },
      ageBand: {
        moins_de_douze: 0,
        douze_dix_huit: 0,
        dix_huit_vingt_quatre: 0,
        vingt_cinq_trente_neuf: 0,
        quarante_cinquante_neuf: 0,
        soixante_soixante_neuf: 0,
        soixante_dix_plus: 2,
        non_communique: 0,
      },
      socialStatus: { scolarise: 0, sans_emploi: 0, en_emploi: 0, retraite: 0, non_communique: 2 },
    },
    createdAt: new Date('2026-05-04T08:00:00Z'),
    updatedAt: new Date('2026-05-04T08:00:00Z'),
    placeAddress: '1 rue des Lilas',
    ...changes,
  });
  const meta = {
    structureName: 'Médiathèque',
    generatedAt: new Date('2026-06-15T10:00:00Z'),
    from: null,
    to: null,
    communeName: () => 'Orléans',
  };

  it('writes metadata, a blank row, the header and one line per participant; reads back the same', () => {
    const bytes = writeCoopXlsx([record()], meta);
    const wb = XLSX.read(bytes, { type: 'array', cellNF: true });
    const ws = wb.Sheets.Activités;
    assert.ok(ws);
    const aoa = XLSX.utils.sheet_to_json<Cell[]>(ws, { header: 1, raw: true, defval: null, blankrows: true });
    assert.deepEqual(aoa[6]?.slice(0, 3), ['Date', 'Enregistré le', 'Dernière modification le']);
    assert.equal(
      aoa[5]?.every((c) => c === null || c === ''),
      true,
    );
    assert.equal(aoa[7]?.[EXPORT_COLUMNS.indexOf('participants')], '1/2');
    assert.equal(aoa[8]?.[EXPORT_COLUMNS.indexOf('gender')], 'Non communiqué');
    assert.equal(ws.A8?.z, 'dd/mm/yyyy');
    const r = read(bytes);
    assert.ok(r.ok && r.errors.length === 0, JSON.stringify(r));
    assert.equal(r.activities[0]?.externalId, record().id);
    assert.equal(r.activities[0]?.fields.workshopTitle, '=Atelier');
  });

  it('writes CSV with semicolons, a BOM, formulas made inert, and reads it back', () => {
    const csv = writeCoopCsv([record()], meta);
    assert.ok(csv.startsWith('\uFEFF'));
    assert.match(csv, /;'=Atelier;/);
    const r = read(new TextEncoder().encode(csv));
    assert.ok(r.ok && r.errors.length === 0, JSON.stringify(r));
    assert.equal(r.activities[0]?.fields.workshopTitle, '=Atelier');
    assert.equal(r.activities[0]?.fields.participants.ageBand.soixante_dix_plus, 2);
  });
});
