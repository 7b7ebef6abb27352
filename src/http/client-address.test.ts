import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { limitKeyOfAddress, NO_TRUSTED_PROXY, parseTrustedProxies } from '../shared/network-address.ts';
import { clientAddress } from './client-address.ts';

/** The address a request comes from, as app.request() gives it to @hono/node-server's conninfo. */
async function seenAs(remote: string, headers: Record<string, string>, proxies = NO_TRUSTED_PROXY) {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, proxies)));
  const res = await app.request('/', { headers }, { incoming: { socket: { remoteAddress: remote } } });
  return res.text();
}

describe('the client address of the abuse limits', () => {
  it('is the connection’s address, X-Forwarded-For ignored without TRUST_PROXY', async () => {
    assert.equal(await seenAs('192.0.2.1', { 'X-Forwarded-For': '203.0.113.9' }), '192.0.2.1');
    assert.equal(await seenAs('::ffff:192.0.2.1', {}), '192.0.2.1');
  });

  it('reads X-Forwarded-For from the right, only from a trusted proxy, skipping the trusted hops', async () => {
    const proxies = parseTrustedProxies('10.0.0.0/8, 127.0.0.1');
    assert.equal(await seenAs('127.0.0.1', { 'X-Forwarded-For': '203.0.113.9' }, proxies), '203.0.113.9');
    // The client may write anything on the left: the rightmost untrusted hop is the one that counts.
    assert.equal(
      await seenAs('10.1.2.3', { 'X-Forwarded-For': '6.6.6.6, 203.0.113.9, 10.0.0.5' }, proxies),
      '203.0.113.9',
    );
    assert.equal(await seenAs('192.0.2.1', { 'X-Forwarded-For': '203.0.113.9' }, proxies), '192.0.2.1');
    assert.equal(await seenAs('127.0.0.1', { 'X-Forwarded-For': 'garbage, ' }, proxies), '127.0.0.1');
    assert.equal(await seenAs('127.0.0.1', {}, proxies), '127.0.0.1');
  });

  it('counts an IPv6 client by its /64', () => {
    assert.equal(limitKeyOfAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(limitKeyOfAddress('2001:db8:1:2::1'), '2001:db8:1:2::/64');
    assert.equal(limitKeyOfAddress('2001:0db8:0001:0002::ffff'), '2001:db8:1:2::/64');
    assert.equal(limitKeyOfAddress('::1'), '0:0:0:0::/64');
    assert.equal(limitKeyOfAddress('192.0.2.1'), '192.0.2.1');
  });

  it('refuses a TRUST_PROXY entry that is not an address or a range, naming it', () => {
    assert.throws(() => parseTrustedProxies('10.0.0.0/8, proxy.local'), /« proxy\.local »/);
    assert.throws(() => parseTrustedProxies('10.0.0.0/33'), /prefix length/);
  });
});
