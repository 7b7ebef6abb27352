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
