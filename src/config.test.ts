import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/nonexistent', ...env });

describe('TILE_SERVER_URL and TILE_ATTRIBUTION', () => {
  it('are off by default: no tile server, no attribution, no origin', () => {
    const config = load({});
    assert.equal(config.tileServerUrl, null);
    assert.equal(config.tileAttribution, null);
    assert.deepEqual(config.tileOrigins, []);
  });

  it('take a Leaflet URL template, with the OpenStreetMap attribution unless another is given', () => {
    const osm = load({ TILE_SERVER_URL: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png' });
    assert.equal(osm.tileServerUrl, 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png');
    assert.match(osm.tileAttribution ?? '', /^© .*OpenStreetMap/);
    assert.deepEqual(osm.tileOrigins, [
      'https://a.tile.openstreetmap.org',
      'https://b.tile.openstreetmap.org',
      'https://c.tile.openstreetmap.org',
    ]);
    const own = load({
      TILE_SERVER_URL: 'https://tuiles.example.org/plan/{z}/{x}/{y}{r}.png?style={s}',
      TILE_ATTRIBUTION: '  © IGN, © OpenStreetMap  ',
    });
    assert.equal(own.tileAttribution, '© IGN, © OpenStreetMap');
    // {s} outside the host: one origin.
    assert.deepEqual(own.tileOrigins, ['https://tuiles.example.org']);
  });

  it("takes the Géoplateforme's Plan IGN WMTS template of the README, query parameters and all", () => {
    const template =
      'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}';
    const ign = load({ TILE_SERVER_URL: template, TILE_ATTRIBUTION: '© IGN – Géoplateforme' });
    assert.equal(ign.tileServerUrl, template);
    assert.equal(ign.tileAttribution, '© IGN – Géoplateforme');
    assert.deepEqual(ign.tileOrigins, ['https://data.geopf.fr']);
  });

  it('refuses a template that Leaflet or the CSP could not use, naming the variable and the value', () => {
    const cases: Array<[string, RegExp]> = [
      ['https://tile.example.org/{z}/{x}.png', /must contain \{y\}/],
      ['https://tile.example.org/{z}/{x}/{y}/{style}.png', /unknown placeholder \{style\}/],
      ['http://tile.example.org/{z}/{x}/{y}.png', /must be https/],
      ['ftp://tile.example.org/{z}/{x}/{y}.png', /must be https/],
      ['tile.example.org/{z}/{x}/{y}.png', /is not a URL/],
      ['https://moi:secret@tile.example.org/{z}/{x}/{y}.png', /user name or password/],
    ];
    for (const [url, why] of cases) {
      assert.throws(
        () => load({ TILE_SERVER_URL: url }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.includes('TILE_SERVER_URL') &&
          error.message.includes(url) &&
          why.test(error.message),
        url,
      );
    }
  });

  it('accepts plain http only on the loopback (a local tile server)', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080']) {
      assert.deepEqual(load({ TILE_SERVER_URL: `http://${host}/{z}/{x}/{y}.png` }).tileOrigins, [
        `http://${host}`,
      ]);
    }
  });

  it('refuses an attribution without a tile server, and one longer than 200 characters', () => {
    assert.throws(
      () => load({ TILE_ATTRIBUTION: '© OpenStreetMap' }),
      /TILE_ATTRIBUTION: set, but TILE_SERVER_URL/,
    );
    assert.throws(
      () =>
        load({
          TILE_SERVER_URL: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png',
          TILE_ATTRIBUTION: 'x'.repeat(201),
        }),
      /TILE_ATTRIBUTION/,
    );
  });
});

describe('demonstration mode', () => {
  const demo = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/x', ...env }).demoMode;

  it('is on for the embedded database on a loopback address only', () => {
    assert.equal(demo({}), true);
    assert.equal(demo({ PUBLIC_URL: 'http://localhost:3000' }), true);
    assert.equal(demo({ PUBLIC_URL: 'https://maillage.example.org' }), false);
    assert.equal(demo({ PUBLIC_URL: 'http://maillage.example.org' }), false);
    assert.equal(demo({ PUBLIC_URL: 'http://192.168.1.10:3000' }), false, 'a private network needs DEMO=1');
    assert.equal(demo({ DATABASE_URL: 'postgres://u@h/db' }), false);
  });

  it('is on with DEMO=1 on an http address of a private network (a training room), and refused elsewhere', () => {
    assert.equal(demo({ DEMO: '1', PUBLIC_URL: 'http://192.168.1.10:3000' }), true);
    assert.equal(demo({ DEMO: '1', PUBLIC_URL: 'http://salle-formation.local:3000' }), true);
    assert.equal(demo({ DEMO: '1', PUBLIC_URL: 'http://[fd00::10]:3000' }), true);
    for (const env of [
      { DEMO: '1', PUBLIC_URL: 'https://192.168.1.10' },
      { DEMO: '1', PUBLIC_URL: 'http://maillage.example.org' },
      { DEMO: '1', PUBLIC_URL: 'http://8.8.8.8' },
      { DEMO: '1', PUBLIC_URL: 'http://192.168.1.10', DATABASE_URL: 'postgres://u@h/db' },
    ])
      assert.throws(() => demo(env), /DEMO=1 is for a training room/, JSON.stringify(env));
  });

  it('says whether PUBLIC_URL is reachable from the Internet', () => {
    const isPublic = (url: string) => loadConfig({ DATA_DIR: '/tmp/x', PUBLIC_URL: url }).publicUrlIsPublic;
    assert.equal(isPublic('https://maillage.example.org'), true);
    assert.equal(isPublic('https://127.0.0.1'), true, 'https means a certificate for the public');
    assert.equal(isPublic('http://10.0.0.4:3000'), false);
    assert.equal(isPublic('http://127.0.0.1:3000'), false);
  });
});

describe('the public scope (docs/decisions/0025)', () => {
  const scope = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/x', ...env }).publicScope;

  it('keeps the territory with a 10 km margin and results within 50 km by default', () => {
    assert.deepEqual(scope({}), {
      territory: { kind: 'epci', code: '244500468' },
      marginKm: 10,
      searchMaxKm: 50,
    });
    assert.deepEqual(scope({ TERRITORY: 'fr', TERRITORY_MARGIN_KM: '0', SEARCH_MAX_KM: '30' }), {
      territory: { kind: 'fr' },
      marginKm: 0,
      searchMaxKm: 30,
    });
  });

  it('refuses a margin or a distance that is not a number in range, naming the variable', () => {
    for (const [name, value] of [
      ['TERRITORY_MARGIN_KM', 'dix'],
      ['TERRITORY_MARGIN_KM', '-1'],
      ['SEARCH_MAX_KM', '0'],
      ['SEARCH_MAX_KM', '5000'],
    ] as const) {
      assert.throws(() => scope({ [name]: value }), new RegExp(`${name}:`), `${name}=${value}`);
    }
  });
});

describe('the review threshold of merges (docs/decisions/0029)', () => {
  const threshold = (env: Record<string, string>) =>
    loadConfig({ DATA_DIR: '/tmp/x', ...env }).mergeReviewBelow;

  it('proposes merges below 75 % by default, and takes any share from 0 (apply all) to 1', () => {
    assert.equal(threshold({}), 0.75);
    assert.equal(threshold({ MERGE_REVIEW_BELOW: '0' }), 0);
    assert.equal(threshold({ MERGE_REVIEW_BELOW: '0.9' }), 0.9);
    assert.equal(threshold({ MERGE_REVIEW_BELOW: '1' }), 1);
  });

  it('refuses a threshold that is not a share between 0 and 1, naming the variable', () => {
    for (const value of ['75 %', '-0.1', '1.5', 'haut'])
      assert.throws(() => threshold({ MERGE_REVIEW_BELOW: value }), /MERGE_REVIEW_BELOW:/, value);
  });
});

describe('ROUTE_PLANNER_URL: a route planner linked from a place sheet, off by default', () => {
  it('is off unless set, and keeps a template with {lat} and {lon}', () => {
    assert.equal(load({}).routePlannerUrl, null);
    const template = 'https://itineraire.example.org/?to={lat},{lon}';
    assert.equal(load({ ROUTE_PLANNER_URL: template }).routePlannerUrl, template);
  });

  it('refuses a template without both points, with another placeholder, in plain http or with a password', () => {
    const bad: Array<[string, RegExp]> = [
      ['https://itineraire.example.org/?to={lat}', /ROUTE_PLANNER_URL: .* must contain \{lon\}/],
      ['https://itineraire.example.org/?to={lat},{lon}&z={z}', /unknown placeholder \{z\}/],
      ['http://itineraire.example.org/?to={lat},{lon}', /must be https/],
      ['https://u:p@itineraire.example.org/?to={lat},{lon}', /user name or password/],
      ['pas une adresse {lat} {lon}', /is not a URL/],
    ];
    for (const [value, message] of bad)
      assert.throws(
        () => load({ ROUTE_PLANNER_URL: value }),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError);
          assert.match(e.message, message);
          return true;
        },
      );
  });
});

describe('DATABASE_POOL_MAX, DATABASE_STATEMENT_TIMEOUT_MS and METRICS_TOKEN', () => {
  it('default to a pool of 10, statements stopped after 60 s, and no /metrics', () => {
    const config = load({});
    assert.equal(config.databasePoolMax, 10);
    assert.equal(config.statementTimeoutMs, 60_000);
    assert.equal(config.metricsToken, null);
    assert.equal(config.jobsTickSeconds, 30);
  });

  it('take a pool size, a timeout (0: none) and a token', () => {
    const config = load({
      DATABASE_POOL_MAX: '25',
      DATABASE_STATEMENT_TIMEOUT_MS: '0',
      METRICS_TOKEN: 'Un-jeton-de-supervision-42',
      JOBS_TICK_SECONDS: '5',
    });
    assert.equal(config.jobsTickSeconds, 5);
    assert.equal(config.databasePoolMax, 25);
    assert.equal(config.statementTimeoutMs, 0);
    assert.equal(config.metricsToken, 'Un-jeton-de-supervision-42');
  });

  it('refuses bad values with a French and English message naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ DATABASE_POOL_MAX: '0' }, /DATABASE_POOL_MAX: doit être un nombre entier de 1 à 500 \(a whole/],
      [{ DATABASE_POOL_MAX: '1000' }, /DATABASE_POOL_MAX: doit être un nombre entier de 1 à 500/],
      [{ DATABASE_POOL_MAX: 'dix' }, /DATABASE_POOL_MAX: doit être un nombre entier de 1 à 500/],
      [{ DATABASE_POOL_MAX: '2.5' }, /DATABASE_POOL_MAX: doit être un nombre entier/],
      [
        { DATABASE_STATEMENT_TIMEOUT_MS: '-1' },
        /DATABASE_STATEMENT_TIMEOUT_MS: doit être un nombre de millisecondes/,
      ],
      [
        { DATABASE_STATEMENT_TIMEOUT_MS: '30s' },
        /DATABASE_STATEMENT_TIMEOUT_MS: doit être un nombre de millisecondes/,
      ],
      [{ JOBS_TICK_SECONDS: '0' }, /JOBS_TICK_SECONDS: doit être un nombre entier de secondes de 1 à 3600/],
      [{ JOBS_TICK_SECONDS: '1.5' }, /JOBS_TICK_SECONDS: doit être un nombre entier de secondes/],
      [{ JOBS_TICK_SECONDS: '7200' }, /JOBS_TICK_SECONDS: doit être un nombre entier de secondes/],
      [{ METRICS_TOKEN: 'court' }, /METRICS_TOKEN: doit faire 16 caractères au moins, sans espace \(must/],
      [{ METRICS_TOKEN: 'un jeton avec des espaces' }, /METRICS_TOKEN: doit faire 16 caractères au moins/],
    ];
    for (const [env, message] of cases) {
      assert.throws(
        () => load(env),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
        JSON.stringify(env),
      );
    }
  });
});
