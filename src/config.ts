import path from 'node:path';
import { z } from 'zod';
import { parseTerritory, type Territory } from './shared/territory.ts';

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
  TERRITORY: z.string().default('epci:244500468'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  NETWORK_CONTACT: z.string().optional(),
});

export interface NetworkContact {
  phone: string | null;
  email: string | null;
  hours: string | null;
}

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  territory: Territory;
  territoryText: string;
  logLevel: string;
  networkContact: NetworkContact;
  networkContactIsDefault: boolean;
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
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`
  ).replace(/\/+$/, '');
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    territory: territory.territory,
    territoryText: e.TERRITORY,
    logLevel: e.LOG_LEVEL ?? defaults?.logLevel ?? 'info',
    networkContact: Object.freeze(parseNetworkContact(e.NETWORK_CONTACT ?? DEFAULT_NETWORK_CONTACT)),
    networkContactIsDefault: e.NETWORK_CONTACT === undefined,
  });
}
