import http from 'node:http';

/**
 * A place's staff member redeeming vouchers over HTTP, as the page's form does without JavaScript: the
 * session cookie, the CSRF field read from the redemption page, then one form POST per voucher with its
 * own request key. node:http with keep-alive (fetch costs several times the CPU per request, which on a
 * two-core machine would be taken from the server being measured).
 */
export interface RedeemAnswer {
  status: number;
  /** 200 with "Chèque encaissé". */
  ok: boolean;
  body: string;
  ms: number;
}

export const REDEEM_PATH = '/pass/encaisser';
export const SESSION_COOKIE = 'maillage_session';

export function passClient(baseUrl: string, sessionToken: string, agent?: http.Agent) {
  const url = new URL(baseUrl);
  const own = agent ?? new http.Agent({ keepAlive: true, maxSockets: 1 });
  const cookie = `${SESSION_COOKIE}=${sessionToken}`;
  let csrf = '';
  const send = (method: 'GET' | 'POST', body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = { Cookie: cookie };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      const req = http.request(
        { host: url.hostname, port: url.port, path: REDEEM_PATH, method, agent: own, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    /** Opens the redemption page and keeps its CSRF token (bound to the session). */
    async open(): Promise<void> {
      const page = await send('GET');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      if (page.status !== 200 || !token)
        throw new Error(`GET ${REDEEM_PATH} gave ${page.status} without a CSRF field`);
      csrf = token;
    },
    async redeem(input: {
      placeId: string;
      code: string;
      key: string;
      needs?: string[];
    }): Promise<RedeemAnswer> {
      const form = new URLSearchParams({
        _csrf: csrf,
        place: input.placeId,
        code: input.code,
        key: input.key,
      });
      for (const need of input.needs ?? ['caf']) form.append('needs', need);
      const started = performance.now();
      const res = await send('POST', form.toString());
      return {
        status: res.status,
        ok: res.status === 200 && res.body.includes('Chèque encaissé'),
        body: res.body,
        ms: performance.now() - started,
      };
    },
    close(): void {
      if (!agent) own.destroy();
    },
  };
}

/** The French refusal of a page (its error text), HTML tags and entities flattened, for assertions. */
export function pageText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/\s+/g, ' ');
}
