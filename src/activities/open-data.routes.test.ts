import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { testApp } from '../../test/support/app.ts';
import { attackOpenData } from '../../test/support/open-data-attacker.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { ANONYMOUS } from '../accounts/policy.ts';
import { resolveTerritory } from '../communes/communes.ts';
import { loadConfig } from '../config.ts';
import { DomainError } from '../shared/domain-error.ts';
import { countAccompanimentsByCommuneMonth, countAccompanimentsByYearTheme } from './open-data.repository.ts';
import { listOpenActivityData, readOpenActivityData } from './open-data.service.ts';
import { OPEN_DATA_FILES } from './open-data.ts';
import { keysOf, THEME_LABELS } from './vocabulary.ts';

after(closeTestTemplate);

const territory = loadConfig({ DATA_DIR: '/nonexistent-test-dir' }).territory;
const anyone = ANONYMOUS;

describe('the open data files of activity records', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db);
  });
  after(async () => {
    await t.close();
  });

  const download = async (name: string) => {
    const res = await app.request(`/donnees/activites/${name}.csv`);
    // Decoded keeping the BOM (TextDecoder drops it by default).
    return { res, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer()) };
  };

  it('serves every listed file to anybody, as CSV with a header line, and no count from 1 to 4', async () => {
    const list = await listOpenActivityData(t.db, anyone, { territory });
    assert.deepEqual(
      list.map((f) => f.name),
      Object.keys(OPEN_DATA_FILES),
    );
    let cells = 0;
    let secret = 0;
    for (const entry of list) {
      assert.equal(entry.path, `/donnees/activites/${entry.name}.csv`);
      const { res, text } = await download(entry.name);
      assert.equal(res.status, 200, entry.name);
      assert.match(res.headers.get('Content-Type') ?? '', /^text\/csv; charset=utf-8/);
      assert.match(res.headers.get('Content-Disposition') ?? '', new RegExp(`${entry.name}\\.csv`));
      assert.ok(text.startsWith('\uFEFF'), 'a BOM for spreadsheets');
      const rows = parse(text, { delimiter: ';', columns: true, bom: true }) as Record<string, string>[];
      assert.equal(rows.length, entry.rows, `${entry.name}: the list says how many lines`);
      for (const r of rows) {
        cells++;
        if (r.secret === 'oui') {
          secret++;
          assert.equal(r.accompagnements, '');
        } else {
          const n = Number(r.accompagnements);
          assert.ok(n === 0 || n >= 5, `${entry.name}: ${JSON.stringify(r)}`);
        }
      }
    }
    assert.ok(list[0] && list[0].rows > 0, 'the demonstration has records to publish');
    console.log(`demonstration: ${cells} lines, ${secret} secret`);
  });

  it('leaves every secret of the demonstration at least 5 wide for a linear-programming attacker', async () => {
    const files: Record<string, string> = {};
    for (const name of Object.keys(OPEN_DATA_FILES)) files[name] = (await download(name)).text;
    const attack = await attackOpenData(files);
    assert.deepEqual(attack.inconsistent, []);
    assert.deepEqual(attack.exposed, []);
    console.log(`demonstration: ${attack.secrets} secret cells, narrowest LP width ${attack.narrowest}`);
  });

  it('answers an unknown file with a French 404, never a 500', async () => {
    for (const name of ['inconnu', '..%2Fsecret', 'ACCOMPAGNEMENTS-COMMUNES-MOIS']) {
      const res = await app.request(`/donnees/activites/${name}.csv`);
      assert.equal(res.status, 404, name);
      assert.match(await res.text(), /n’existe pas/);
    }
    // A NUL byte is refused before any route (the shared input cleaning): a 400, not a 500.
    assert.equal((await app.request('/donnees/activites/accompagnements-communes-mois%00.csv')).status, 400);
    await assert.rejects(
      readOpenActivityData(t.db, anyone, { territory, name: 'personnes' }),
      (e: unknown) => e instanceof DomainError && e.code === 'not_found' && /n’existe pas/.test(e.message),
    );
  });

  it('counts accompaniments as La Coop: one an individual record, a workshop its participants and identified people', async () => {
    const structure = await t.db.selectFrom('structure').select('id').limit(1).executeTakeFirstOrThrow();
    const commune = resolveTerritory(territory).communes[0]?.code as string;
    const theme = keysOf(THEME_LABELS)[0] as string;
    const record = async (kind: 'individuel' | 'collectif', total: number) => {
      const { id } = await t.db
        .insertInto('activity')
        .values({
          structure_id: structure.id,
          kind,
          date: '2021-03-15',
          duration_minutes: 60,
          place_kind: 'domicile',
          commune_code: commune,
          themes: [theme],
          ...(kind === 'collectif' ? { workshop_title: 'Atelier' } : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('activity_participants')
        .values({
          activity_id: id,
          total,
          gender_non_communique: total,
          age_non_communique: total,
          status_non_communique: total,
        })
        .execute();
      return id;
    };
    await record('individuel', 1);
    await record('individuel', 0); // a followed person: no anonymous participant, still one accompaniment
    const workshop = await record('collectif', 7);
    const person = await t.db
      .insertInto('activity_beneficiary')
      .values({
        structure_id: structure.id,
        first_name: 'Alix',
        consent_at: new Date(),
        retain_until: '2099-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('activity_beneficiary_link')
      .values({ activity_id: workshop, beneficiary_id: person.id })
      .execute();
    const counts = await countAccompanimentsByCommuneMonth(t.db, '2099-01-01');
    assert.deepEqual(
      counts.filter((c) => c.month === '2021-03'),
      [{ commune_code: commune, month: '2021-03', accompaniments: 1 + 1 + 7 + 1 }],
    );
    const themes = await countAccompanimentsByYearTheme(t.db, '2099-01-01');
    assert.deepEqual(
      themes.filter((c) => c.year === '2021'),
      [{ year: '2021', theme, accompaniments: 10 }],
    );
    // Not counted before the day given (the files stop at the end of last month).
    assert.equal(
      (await countAccompanimentsByCommuneMonth(t.db, '2021-03-15')).filter((c) => c.month === '2021-03')
        .length,
      0,
    );
  });

  it('publishes only complete months: a record of this month is not in the files yet', async () => {
    const now = new Date();
    const before = await readOpenActivityData(t.db, anyone, {
      territory,
      name: 'accompagnements-territoire-mois',
      now,
    });
    const thisMonth = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(now).slice(0, 7);
    assert.doesNotMatch(before.csv, new RegExp(`^${thisMonth};`, 'm'));
  });
});
