import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { isTrusted, limitKeyOfAddress, type TrustedProxies, unmapped } from '../shared/network-address.ts';
import type { AppEnv } from './app-env.ts';

/**
 * Who is asking, for the per-client abuse limits: the connection's address, unless it is one of the
 * trusted reverse proxies (TRUST_PROXY). Only then is `X-Forwarded-For` read, from the right, skipping
 * the trusted proxies (the left part of the header is whatever the client wrote).
 */
function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // app.request() in tests without a socket
  }
}

/** Whether the connection comes from one of the trusted reverse proxies (never without TRUST_PROXY). */
export function fromTrustedProxy(c: Context, proxies: TrustedProxies): boolean {
  if (proxies.empty) return false;
  const socket = socketAddress(c);
  return socket !== null && isTrusted(proxies, unmapped(socket));
}

/** The client's address as a limit key (see above); "inconnu" when the connection has none. */
export function clientAddress(c: Context, proxies: TrustedProxies): string {
  const socket = socketAddress(c);
  if (socket === null) return 'inconnu';
  let client = unmapped(socket);
  if (!proxies.empty && isTrusted(proxies, client)) {
    const hops = (c.req.header('X-Forwarded-For') ?? '')
      .split(',')
      .map((h) => unmapped(h.trim()))
      .filter((h) => h !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] as string;
      if (isIP(hop) === 0) break; // a garbled header: keep the last trusted hop's address
      client = hop;
      if (!isTrusted(proxies, hop)) break;
    }
  }
  return limitKeyOfAddress(client);
}

/** The client's address as a limit key, with the trusted proxies of the configuration. */
export function clientOf(c: Context<AppEnv>): string {
  return clientAddress(c, c.get('config').trustedProxies);
}
