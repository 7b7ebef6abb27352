import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { geocodeAddress, geocoderSearchUrl } from './geocoding.service.ts';

/**
 * A local server that speaks the Géoplateforme geocoder's documented format (GET /search → GeoJSON
 * FeatureCollection, properties label/score/postcode/citycode), with a few misbehaving answers chosen by
 * the query text.
 */
function feature(
  over: { lon?: number; lat?: number; score?: number; postcode?: string; label?: string } = {},
) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [over.lon ?? 1.904, over.lat ?? 47.9025] },
    properties: {
      label: over.label ?? '1 Place de la République 45000 Orléans',
      score: over.score ?? 0.93,
      housenumber: '1',
      id: '45234_1234_00001',
      name: '1 Place de la République',
      postcode: over.postcode ?? '45000',
      citycode: '45234',
      x: 619000.1,
      y: 6754000.2,
      city: 'Orléans',
      context: '45, Loiret, Centre-Val de Loire',
      type: 'housenumber',
      importance: 0.7,
      street: 'Place de la République',
      _type: 'address',
    },
  };
}

const requests: URL[] = [];
let server: Server;
let baseUrl: string;

/** The answer for a query: status and body, or 'slow' (the answer comes after two seconds). */
function route(url: URL): [number, unknown] | 'slow' {
  const q = url.searchParams.get('q') ?? '';
  const ok = (features: unknown[]): [number, unknown] => [200, { type: 'FeatureCollection', features }];
  if (url.pathname !== '/geocodage/search') return [404, { code: 404, message: 'not found' }];
  if (q.includes('panne')) return [500, { code: 500, message: 'Internal error' }];
  if (q.includes('bouillie')) return [200, '{"type":"FeatureCollection","features":[{'];
  if (q.includes('lent')) return 'slow';
  if (q.includes('vague')) return ok([feature({ score: 0.31 })]);
  if (q.includes('ailleurs')) return ok([feature({ postcode: '75001' })]);
  if (q.includes('nulle part')) return ok([]);
  if (q.includes('hors')) return ok([feature({ lat: 123 })]);
  return ok([feature()]);
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  requests.push(url);
  const send = ([status, body]: [number, unknown]) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const routed = route(url);
  if (routed !== 'slow') {
    send(routed);
    return;
  }
  const timer = setTimeout(() => send([200, { type: 'FeatureCollection', features: [feature()] }]), 2000);
  res.on('close', () => clearTimeout(timer));
}

before(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/geocodage`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const address = { adresse: '1 place de la République', codePostal: '45000', commune: 'Orléans' };

describe('geocoding with the Géoplateforme geocoder', () => {
  it('sends only the address (q, postcode, limit=1, index=address) and reads the first feature', async () => {
    requests.length = 0;
    const result = await geocodeAddress({ geocoderUrl: baseUrl }, address);
    assert.deepEqual(result, {
      latitude: 47.9025,
      longitude: 1.904,
      label: '1 Place de la République 45000 Orléans',
      score: 0.93,
    });
    assert.equal(requests.length, 1);
    const sent = requests[0] as URL;
    assert.equal(sent.pathname, '/geocodage/search');
    assert.deepEqual(Object.fromEntries(sent.searchParams), {
      q: '1 place de la République 45000 Orléans',
      limit: '1',
      index: 'address',
      postcode: '45000',
    });
  });

  it('is off when no geocoder is configured: nothing is sent', async () => {
    requests.length = 0;
    assert.equal(await geocodeAddress({ geocoderUrl: null }, address), null);
    assert.equal(requests.length, 0);
  });

  it('answers null on a server error, junk JSON, no result, a low score, another postcode, a wrong position', async () => {
    for (const word of ['panne', 'bouillie', 'nulle part', 'vague', 'ailleurs', 'hors']) {
      const result = await geocodeAddress({ geocoderUrl: baseUrl }, { ...address, adresse: `1 rue ${word}` });
      assert.equal(result, null, word);
    }
  });

  it('gives up on a slow server after the timeout instead of making the form wait', async () => {
    const started = Date.now();
    const result = await geocodeAddress(
      { geocoderUrl: baseUrl },
      { ...address, adresse: '1 rue lent' },
      { timeoutMs: 300 },
    );
    assert.equal(result, null);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  });

  it('answers null when nothing listens at the configured address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    assert.equal(await geocodeAddress({ geocoderUrl: `http://127.0.0.1:${port}` }, address), null);
  });

  it('builds the search URL without a postcode filter when the postcode is not 5 digits', () => {
    assert.equal(
      geocoderSearchUrl('https://data.geopf.fr/geocodage/', {
        adresse: 'Mairie',
        codePostal: '',
        commune: 'Ingré',
      }),
      'https://data.geopf.fr/geocodage/search?q=Mairie+Ingr%C3%A9&limit=1&index=address',
    );
  });
});
