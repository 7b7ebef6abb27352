import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { parseTrustedProxies, type TrustedProxies } from './shared/network-address.ts';
import { type PublicScope, parseTerritory, type Territory } from './shared/territory.ts';

/**
 * The one configuration module: zod over process.env, parsed once, frozen, fails fast with a message
 * naming the variable. Nothing else reads process.env.
 */
const DEFAULT_NETWORK_CONTACT = '02 61 91 00 00|reseau@example.org|du lundi au vendredi, de 9 h à 17 h';

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// ou postgresql://')
    .optional(),
  // PostgreSQL only: connections per app server, and the longest a statement may run (ms; 0: no limit).
  DATABASE_POOL_MAX: z.coerce
    .number('doit être un nombre entier de 1 à 500 (a whole number from 1 to 500)')
    .int('doit être un nombre entier de 1 à 500 (a whole number from 1 to 500)')
    .min(1, 'doit être un nombre entier de 1 à 500 (a whole number from 1 to 500)')
    .max(500, 'doit être un nombre entier de 1 à 500 (a whole number from 1 to 500)')
    .default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number('doit être un nombre de millisecondes de 0 à 3600000 (milliseconds, 0 to 3600000)')
    .int('doit être un nombre de millisecondes de 0 à 3600000 (milliseconds, 0 to 3600000)')
    .min(0, 'doit être un nombre de millisecondes de 0 à 3600000 (milliseconds, 0 to 3600000)')
    .max(3_600_000, 'doit être un nombre de millisecondes de 0 à 3600000 (milliseconds, 0 to 3600000)')
    .default(60_000),
  // How often each app server's job runner looks for due scheduled jobs (s); the one that takes the
  // leader's lock at that moment runs them (docs/decisions/0047).
  JOBS_TICK_SECONDS: z.coerce
    .number('doit être un nombre entier de secondes de 1 à 3600 (whole seconds, 1 to 3600)')
    .int('doit être un nombre entier de secondes de 1 à 3600 (whole seconds, 1 to 3600)')
    .min(1, 'doit être un nombre entier de secondes de 1 à 3600 (whole seconds, 1 to 3600)')
    .max(3600, 'doit être un nombre entier de secondes de 1 à 3600 (whole seconds, 1 to 3600)')
    .default(30),
  // The bearer token of /metrics (Prometheus); unset: /metrics does not exist (docs/decisions/0046).
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,200}$/, 'doit faire 16 caractères au moins, sans espace (must be 16+ characters)')
    .optional(),
  TERRITORY: z.string().default('epci:244500468'),
  // Public results: places of the territory or this close to its border; never farther from the person
  // than SEARCH_MAX_KM (docs/decisions/0025).
  TERRITORY_MARGIN_KM: z.coerce.number().min(0).max(200).default(10),
  SEARCH_MAX_KM: z.coerce.number().min(1).max(1000).default(50),
  // Files uploaded for import on the web: the command line's limit (200 MB) at most.
  IMPORT_UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(200).default(200),
  // Files shared in the resource bank (stored in the database, decision 0042), in MB; decimals allowed.
  RESOURCE_MAX_MB: z.coerce.number().min(0.01).max(100).default(10),
  // An import applies a merge of two sources' records only at or above this similarity (0…1); below it,
  // the merge waits for a coordinator on /fusions (docs/decisions/0029). 0: every merge applied.
  MERGE_REVIEW_BELOW: z.coerce.number().min(0).max(1).default(0.75),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  NETWORK_CONTACT: z.string().optional(),
  // The network's name, as its members know it: it signs the coordination's messages to them.
  NETWORK_NAME: z.string().trim().min(1).max(100).default('Maillage'),
  EMBED_ORIGINS: z.string().optional(),
  // A tile server for the interactive map, e.g. https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png
  // (checked in tileServer() below), and the attribution shown on the map (plain text).
  TILE_SERVER_URL: z.string().max(500).optional(),
  TILE_ATTRIBUTION: z.string().max(200).optional(),
  // A route planner's address with {lat} and {lon}, linked from a place's sheet ("Comment y aller");
  // off by default: only the phone's own map (a geo: link) is offered. A link, not a resource: no CSP change.
  ROUTE_PLANNER_URL: z.string().max(500).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'doit commencer par smtp:// ou smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Maillage <ne-pas-repondre@example.org>'),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  // The national geocoder (Géoplateforme), off unless configured, e.g. https://data.geopf.fr/geocodage
  GEOCODER_URL: z.url().optional(),
  // Retention periods of personal data (the privacy purge), in days or months.
  RETENTION_SENT_MAIL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  RETENTION_ERROR_REPORT_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  RETENTION_JOIN_REQUEST_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RETENTION_INACTIVE_ACCOUNT_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  RETENTION_ORIENTATION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  RETENTION_ORIENTATION_UNANSWERED_MONTHS: z.coerce.number().int().min(1).max(120).default(3),
  // Call-back requests (first name, number, slot) are deleted this many days after they were made.
  RETENTION_CALLBACK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  // Workshop registrations: first name, number, address blanked this many days after the workshop's
  // date (the counts stay).
  RETENTION_REGISTRATION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Referrals: reminder to the receiver, then expiry, after so many days without an answer.
  ORIENTATION_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(10),
  ORIENTATION_EXPIRY_DAYS: z.coerce.number().int().min(2).max(365).default(30),
  // Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges); none by default.
  TRUST_PROXY: z.string().max(2000).optional(),
  // Demonstration on a private network (a training room): DEMO=1 with an http PUBLIC_URL on it.
  DEMO: z.enum(['0', '1']).optional(),
  // Anonymous figures of use (searches, place pages…) counted in memory and written once a minute.
  USAGE_COUNTERS: z.enum(['on', 'off']).default('on'),
  // Abuse limits (see README): error reports, and sign-in failures per account and address, per address
  // across accounts (password spraying), per account from all addresses.
  LIMIT_ERROR_REPORTS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(5),
  LIMIT_ERROR_REPORTS_PER_PLACE_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(30),
  LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS: z.coerce.number().int().min(1).max(1000).default(10),
  LIMIT_SIGN_IN_FAILURES_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(100_000).default(50),
  // « Être rappelé »: requests per client address per hour, and per phone number per day.
  LIMIT_CALLBACKS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(3),
  LIMIT_CALLBACKS_PER_PHONE_PER_DAY: z.coerce.number().int().min(1).max(1000).default(2),
  // Workshop registrations without an account: per client address per hour, and per phone number or
  // e-mail address per workshop date per day (a cancelled registration made again counts).
  LIMIT_REGISTRATIONS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(5),
  LIMIT_REGISTRATIONS_PER_CONTACT_PER_WORKSHOP: z.coerce.number().int().min(1).max(100).default(1),
  // Pass numérique: unknown voucher codes and wrong check characters, per account per hour and per place
  // per day; above the network-wide count per hour, the coordinators are alerted on /espace.
  LIMIT_PASS_GUESSES_PER_ACCOUNT_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(20),
  LIMIT_PASS_GUESSES_PER_PLACE_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(100),
  ALERT_PASS_GUESSES_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(500),
});

export interface NetworkContact {
  phone: string | null;
  email: string | null;
  hours: string | null;
}

/** Abuse limits, each a number of events in a window (see `limits/` and the domains that use them). */
export interface Limits {
  errorReportsPerAddressPerHour: number;
  errorReportsPerPlacePerDay: number;
  /** Failed sign-ins for one account from one address, within LOCKOUT_MINUTES. */
  signInFailuresPerAccountAndAddress: number;
  /** Failed sign-ins from one address over all accounts, within an hour. */
  signInFailuresPerAddressPerHour: number;
  /** Failed sign-ins for one account from all addresses, within LOCKOUT_MINUTES. */
  signInFailuresPerAccount: number;
  /** Call-back requests from one address within an hour. */
  callbacksPerAddressPerHour: number;
  /** Call-back requests for one phone number within a day. */
  callbacksPerPhonePerDay: number;
  /** Workshop registrations from one address within an hour. */
  registrationsPerAddressPerHour: number;
  /** Registrations of one phone number or e-mail address to one workshop date within a day. */
  registrationsPerContactPerWorkshop: number;
  /** Unknown voucher codes (or wrong check characters) typed by one account within an hour. */
  passGuessesPerAccountPerHour: number;
  /** Unknown voucher codes typed at one place within a day. */
  passGuessesPerPlacePerDay: number;
  /** Unknown voucher codes across the network within an hour above which coordinators are alerted. */
  passGuessAlertPerHour: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  errorReportsPerAddressPerHour: 5,
  errorReportsPerPlacePerDay: 30,
  signInFailuresPerAccountAndAddress: 10,
  signInFailuresPerAddressPerHour: 30,
  signInFailuresPerAccount: 50,
  callbacksPerAddressPerHour: 3,
  callbacksPerPhonePerDay: 2,
  registrationsPerAddressPerHour: 5,
  registrationsPerContactPerWorkshop: 1,
  passGuessesPerAccountPerHour: 20,
  passGuessesPerPlacePerDay: 100,
  passGuessAlertPerHour: 500,
});

export interface Config {
  /** Largest file a coordinator may upload for import on the web (IMPORT_UPLOAD_MAX_MB). */
  importUploadMaxBytes: number;
  /** Largest file shared in the resource bank (RESOURCE_MAX_MB). */
  resourceMaxBytes: number;
  /** Partner origins allowed to frame /embed (frame-ancestors); empty: nobody. */
  embedOrigins: string[];
  /** A tile server URL template ({z}/{x}/{y}) for the Leaflet map; null: server-rendered SVG only. */
  tileServerUrl: string | null;
  /** The map's attribution (plain text); null when there is no tile server. */
  tileAttribution: string | null;
  /** The origins the tiles come from (one per {s} subdomain), for the CSP's img-src; empty: none. */
  tileOrigins: string[];
  /** A route planner's URL template with {lat} and {lon} (ROUTE_PLANNER_URL); null: none offered. */
  routePlannerUrl: string | null;
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  /** PostgreSQL: the pool's size per app server (DATABASE_POOL_MAX). */
  databasePoolMax: number;
  /** PostgreSQL: statement_timeout of the pool's connections in ms, 0 for none. */
  statementTimeoutMs: number;
  /** Seconds between two looks of the job runner for due scheduled jobs (JOBS_TICK_SECONDS). */
  jobsTickSeconds: number;
  /** The bearer token that opens /metrics; null: no /metrics. */
  metricsToken: string | null;
  territory: Territory;
  territoryText: string;
  /** What the public sees: the territory, its margin, the farthest result (docs/decisions/0025). */
  publicScope: PublicScope;
  /** Merges scored below this are only proposed, for a coordinator to confirm (MERGE_REVIEW_BELOW). */
  mergeReviewBelow: number;
  logLevel: string;
  networkContact: NetworkContact;
  networkContactIsDefault: boolean;
  /** The network's name (NETWORK_NAME), in the coordination's messages to its members. */
  networkName: string;
  /** SMTP server for outgoing mail; null: messages stay in the outbox (demo outbox page). */
  smtpUrl: string | null;
  mailFrom: string;
  /** A session ends after this many minutes without a request… */
  sessionIdleMinutes: number;
  /** …and at the latest this many hours after sign-in. */
  sessionMaxHours: number;
  /** Base URL of the Géoplateforme geocoder (…/search is appended); null: no geocoding. */
  geocoderUrl: string | null;
  /** How long personal data is kept (privacy purge, run by the job runner and `privacy purge`). */
  retention: {
    sentMailDays: number;
    errorReportDays: number;
    joinRequestDays: number;
    inactiveAccountMonths: number;
    /** Orientations: personal fields blanked this long after closure… */
    orientationMonths: number;
    /** …or this long after a refusal or an expiry. */
    orientationUnansweredMonths: number;
    /** Call-back requests: deleted this long after the request. */
    callbackDays: number;
    /** Workshop registrations: personal fields blanked this long after the date's end. */
    registrationDays: number;
  };
  orientation: { reminderDays: number; expiryDays: number };
  /** Reverse proxies whose X-Forwarded-For gives the client's address (TRUST_PROXY). */
  trustedProxies: TrustedProxies;
  limits: Limits;
  /**
   * Demonstration mode: demonstration data and accounts may exist (and are seeded on a fresh embedded
   * database), the outbox shows whole mails. Only on the embedded database, with a loopback PUBLIC_URL,
   * or with DEMO=1 and an http PUBLIC_URL on a private network; never https, never a public address.
   */
  demoMode: boolean;
  /** Whether the anonymous figures of use are counted (USAGE_COUNTERS, on by default). */
  usageCounters: boolean;
  /** Whether PUBLIC_URL may be reached from the Internet (not loopback, not a private network). */
  publicUrlIsPublic: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** NETWORK_CONTACT is "phone|email|hours"; each part is optional and recognised by its shape. */
export function parseNetworkContact(text: string): NetworkContact {
  const contact: NetworkContact = { phone: null, email: null, hours: null };
  for (const raw of text.split('|')) {
    const part = raw.trim();
    if (part === '') continue;
    if (part.includes('@')) contact.email = part;
    else if (/^[+\d][\d .-]{5,}$/.test(part)) contact.phone = part;
    else contact.hours = part;
  }
  return contact;
}

/** EMBED_ORIGINS is a comma-separated list of https origins (scheme://host[:port]). */
function parseOrigins(text: string): string[] {
  const origins: string[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new ConfigError(
        `Invalid configuration:\n  EMBED_ORIGINS: « ${item} » is not an origin (e.g. https://www.mairie.fr)`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError(`Invalid configuration:\n  EMBED_ORIGINS: « ${item} » must be http(s)`);
    }
    origins.push(url.origin);
  }
  return origins;
}

/**
 * ROUTE_PLANNER_URL is an address a person's browser opens from a place's sheet: http(s) (plain http only
 * on the loopback), {lat} and {lon} present, no other placeholder, no user name or password.
 */
export function parseRoutePlanner(template: string): string {
  const fail = (why: string): never => {
    throw new ConfigError(`Invalid configuration:\n  ROUTE_PLANNER_URL: « ${template} » ${why}`);
  };
  for (const p of template.match(/\{[^}]*\}/g) ?? []) {
    if (p !== '{lat}' && p !== '{lon}') fail(`has an unknown placeholder ${p} (allowed: {lat} {lon})`);
  }
  for (const p of ['{lat}', '{lon}']) if (!template.includes(p)) fail(`must contain ${p}`);
  let url: URL;
  try {
    url = new URL(template.replaceAll('{lat}', '47.9').replaceAll('{lon}', '1.9'));
  } catch {
    return fail('is not a URL (e.g. https://example.org/itineraire?to={lat},{lon})');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    fail('must be https (plain http only on 127.0.0.1 or localhost)');
  }
  if (url.username || url.password) fail('must not hold a user name or password');
  return template;
}

/** Leaflet's default subdomains for {s}: the CSP lists the host of each. */
export const TILE_SUBDOMAINS = ['a', 'b', 'c'] as const;
const DEFAULT_TILE_ATTRIBUTION = '© les contributeurs d’OpenStreetMap';
const TILE_PLACEHOLDERS = new Set(['{s}', '{z}', '{x}', '{y}', '{r}']);

/**
 * TILE_SERVER_URL is a Leaflet URL template: http(s) (plain http only on the loopback, for a local tile
 * server), {z}, {x} and {y} present, no other placeholder than {s} and {r}. Returns the tile origins,
 * one per subdomain when the host holds {s}.
 */
export function parseTileServer(template: string): { url: string; origins: string[] } {
  const fail = (why: string): never => {
    throw new ConfigError(`Invalid configuration:\n  TILE_SERVER_URL: « ${template} » ${why}`);
  };
  for (const p of template.match(/\{[^}]*\}/g) ?? []) {
    if (!TILE_PLACEHOLDERS.has(p)) fail(`has an unknown placeholder ${p} (allowed: {s} {z} {x} {y} {r})`);
  }
  for (const p of ['{z}', '{x}', '{y}']) if (!template.includes(p)) fail(`must contain ${p}`);
  const origins = new Set<string>();
  for (const s of template.includes('{s}') ? TILE_SUBDOMAINS : ['a']) {
    let url: URL;
    try {
      url = new URL(template.replaceAll('{s}', s).replace(/\{[zxyr]\}/g, '0'));
    } catch {
      return fail('is not a URL (e.g. https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png)');
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      fail('must be https (plain http only on 127.0.0.1 or localhost)');
    }
    if (url.username || url.password) fail('must not hold a user name or password');
    origins.add(url.origin);
  }
  return { url: template, origins: [...origins] };
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** Whether an address or host name of a URL is the loopback (this machine only). */
function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_HOSTS.has(h) || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Whether a host is on a private network: private IPv4 ranges (RFC 1918, link-local), unique-local and
 * link-local IPv6, and names that public DNS never resolves (a single label, .local, .lan, .internal,
 * .home.arpa).
 */
function isPrivateHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (isLoopbackHost(host)) return true;
  const family = isIP(h);
  if (family === 4) {
    const [a = 0, b = 0] = h.split('.').map(Number);
    return (
      a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
    );
  }
  if (family === 6) return /^f[cd]/.test(h) || /^fe[89ab]/.test(h);
  return !h.includes('.') || /\.(local|lan|internal|home\.arpa)$/.test(h);
}

/** Reads the configuration from an environment (process.env by default). Throws ConfigError. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  defaults?: { logLevel?: string },
): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const territory = parseTerritory(e.TERRITORY);
  if (!territory.ok) throw new ConfigError(`Invalid configuration:\n  TERRITORY: ${territory.message}`);
  if (e.TILE_ATTRIBUTION !== undefined && e.TILE_SERVER_URL === undefined) {
    throw new ConfigError('Invalid configuration:\n  TILE_ATTRIBUTION: set, but TILE_SERVER_URL is not');
  }
  const tiles = e.TILE_SERVER_URL === undefined ? null : parseTileServer(e.TILE_SERVER_URL);
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`
  ).replace(/\/+$/, '');
  let trustedProxies: TrustedProxies;
  try {
    trustedProxies = parseTrustedProxies(e.TRUST_PROXY ?? '');
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  TRUST_PROXY: ${(error as Error).message}`);
  }
  const url = new URL(publicUrl);
  const http = url.protocol === 'http:';
  const publicUrlIsPublic = !(http && isPrivateHost(url.hostname));
  const embedded = e.DATABASE_URL === undefined;
  if (e.DEMO === '1' && (!embedded || publicUrlIsPublic || isLoopbackHost(url.hostname))) {
    throw new ConfigError(
      'Invalid configuration:\n  DEMO: DEMO=1 is for a training room: the embedded database (no DATABASE_URL) and an http PUBLIC_URL on a private network (e.g. http://192.168.1.10:3000)',
    );
  }
  const demoMode =
    embedded && http && (isLoopbackHost(url.hostname) || (e.DEMO === '1' && !publicUrlIsPublic));
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolMax: e.DATABASE_POOL_MAX,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    jobsTickSeconds: e.JOBS_TICK_SECONDS,
    metricsToken: e.METRICS_TOKEN ?? null,
    territory: territory.territory,
    territoryText: e.TERRITORY,
    publicScope: Object.freeze({
      territory: territory.territory,
      marginKm: e.TERRITORY_MARGIN_KM,
      searchMaxKm: e.SEARCH_MAX_KM,
    }),
    importUploadMaxBytes: e.IMPORT_UPLOAD_MAX_MB * 1024 * 1024,
    resourceMaxBytes: Math.round(e.RESOURCE_MAX_MB * 1024 * 1024),
    mergeReviewBelow: e.MERGE_REVIEW_BELOW,
    logLevel: e.LOG_LEVEL ?? defaults?.logLevel ?? 'info',
    embedOrigins: parseOrigins(e.EMBED_ORIGINS ?? ''),
    tileServerUrl: tiles?.url ?? null,
    tileAttribution: tiles ? e.TILE_ATTRIBUTION?.trim() || DEFAULT_TILE_ATTRIBUTION : null,
    tileOrigins: tiles?.origins ?? [],
    routePlannerUrl: e.ROUTE_PLANNER_URL === undefined ? null : parseRoutePlanner(e.ROUTE_PLANNER_URL.trim()),
    networkContact: Object.freeze(parseNetworkContact(e.NETWORK_CONTACT ?? DEFAULT_NETWORK_CONTACT)),
    networkContactIsDefault: e.NETWORK_CONTACT === undefined,
    networkName: e.NETWORK_NAME,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    geocoderUrl: e.GEOCODER_URL?.replace(/\/+$/, '') ?? null,
    retention: Object.freeze({
      sentMailDays: e.RETENTION_SENT_MAIL_DAYS,
      errorReportDays: e.RETENTION_ERROR_REPORT_DAYS,
      joinRequestDays: e.RETENTION_JOIN_REQUEST_DAYS,
      inactiveAccountMonths: e.RETENTION_INACTIVE_ACCOUNT_MONTHS,
      orientationMonths: e.RETENTION_ORIENTATION_MONTHS,
      orientationUnansweredMonths: e.RETENTION_ORIENTATION_UNANSWERED_MONTHS,
      callbackDays: e.RETENTION_CALLBACK_DAYS,
      registrationDays: e.RETENTION_REGISTRATION_DAYS,
    }),
    orientation: Object.freeze({
      reminderDays: e.ORIENTATION_REMINDER_DAYS,
      expiryDays: e.ORIENTATION_EXPIRY_DAYS,
    }),
    trustedProxies,
    usageCounters: e.USAGE_COUNTERS === 'on',
    limits: Object.freeze({
      errorReportsPerAddressPerHour: e.LIMIT_ERROR_REPORTS_PER_ADDRESS_PER_HOUR,
      errorReportsPerPlacePerDay: e.LIMIT_ERROR_REPORTS_PER_PLACE_PER_DAY,
      signInFailuresPerAccountAndAddress: e.LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
      signInFailuresPerAddressPerHour: e.LIMIT_SIGN_IN_FAILURES_PER_ADDRESS_PER_HOUR,
      signInFailuresPerAccount: e.LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT,
      callbacksPerAddressPerHour: e.LIMIT_CALLBACKS_PER_ADDRESS_PER_HOUR,
      callbacksPerPhonePerDay: e.LIMIT_CALLBACKS_PER_PHONE_PER_DAY,
      registrationsPerAddressPerHour: e.LIMIT_REGISTRATIONS_PER_ADDRESS_PER_HOUR,
      registrationsPerContactPerWorkshop: e.LIMIT_REGISTRATIONS_PER_CONTACT_PER_WORKSHOP,
      passGuessesPerAccountPerHour: e.LIMIT_PASS_GUESSES_PER_ACCOUNT_PER_HOUR,
      passGuessesPerPlacePerDay: e.LIMIT_PASS_GUESSES_PER_PLACE_PER_DAY,
      passGuessAlertPerHour: e.ALERT_PASS_GUESSES_PER_HOUR,
    }),
    demoMode,
    publicUrlIsPublic,
  });
}
