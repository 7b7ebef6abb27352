import type { Config } from '../config.ts';

/**
 * Address geocoding through the national geocoder (Géoplateforme, `…/geocodage/search`; the former
 * api-adresse.data.gouv.fr is closed). Off unless the operator sets GEOCODER_URL. Only a place's address
 * is sent (street, postcode, commune): never anything about a person.
 */
export interface GeocodeResult {
  latitude: number;
  longitude: number;
  /** The address as the geocoder understood it, e.g. "12 Rue de la Paix 45000 Orléans". */
  label: string;
  /** 0 to 1: how sure the geocoder is. */
  score: number;
}

export interface GeocodeAddress {
  adresse: string;
  codePostal: string;
  commune: string;
}

export interface GeocodeOptions {
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Give up after this many milliseconds (3 s by default): the form must not hang on a slow service. */
  timeoutMs?: number;
  /** Answers below this score are not trusted (0.5 by default). */
  minScore?: number;
}

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_MIN_SCORE = 0.5;

/** The request URL for an address (exported for tests and the CSP's connect list). */
export function geocoderSearchUrl(baseUrl: string, address: GeocodeAddress): string {
  const q = [address.adresse, address.codePostal, address.commune]
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(' ');
  const params = new URLSearchParams({ q, limit: '1', index: 'address' });
  if (/^\d{5}$/.test(address.codePostal.trim())) params.set('postcode', address.codePostal.trim());
  return `${baseUrl.replace(/\/+$/, '')}/search?${params.toString()}`;
}

/**
 * Reads the first feature of a Géoplateforme answer (a GeoJSON FeatureCollection whose features carry
 * `geometry.coordinates` [longitude, latitude] and `properties.label`, `score`, `postcode`, `citycode`).
 * Anything else — junk, no feature, coordinates out of range, a score too low, another postcode than
 * the one asked — is null: a wrong position is worse than the commune's reference point.
 */
export function readGeocoderAnswer(body: unknown, asked: GeocodeAddress, minScore = DEFAULT_MIN_SCORE) {
  if (typeof body !== 'object' || body === null) return null;
  const features = (body as { features?: unknown }).features;
  if (!Array.isArray(features) || features.length === 0) return null;
  const feature = features[0] as { geometry?: unknown; properties?: unknown } | null;
  if (typeof feature !== 'object' || feature === null) return null;
  const geometry = feature.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
  const properties = feature.properties as Record<string, unknown> | null | undefined;
  if (!geometry || !properties || geometry.type !== 'Point' || !Array.isArray(geometry.coordinates))
    return null;
  const [longitude, latitude] = geometry.coordinates as unknown[];
  if (typeof longitude !== 'number' || typeof latitude !== 'number') return null;
  if (!Number.isFinite(longitude) || !Number.isFinite(latitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  const score = properties.score;
  if (typeof score !== 'number' || !Number.isFinite(score) || score < minScore) return null;
  const postcode = properties.postcode;
  const askedPostcode = asked.codePostal.trim();
  if (typeof postcode === 'string' && /^\d{5}$/.test(askedPostcode) && postcode !== askedPostcode)
    return null;
  const label = typeof properties.label === 'string' ? properties.label.slice(0, 300) : '';
  return { latitude, longitude, label, score } satisfies GeocodeResult;
}

/**
 * Geocodes a place's address with the configured Géoplateforme geocoder. Returns null when geocoding is
 * off (no GEOCODER_URL), when the service is slow (3 s), fails, answers junk or is not sure enough: the
 * caller then keeps the commune's reference point, and the position stays correctable by hand.
 */
export async function geocodeAddress(
  config: Pick<Config, 'geocoderUrl'>,
  address: GeocodeAddress,
  opts: GeocodeOptions = {},
): Promise<GeocodeResult | null> {
  if (config.geocoderUrl === null) return null;
  if (address.adresse.trim() === '' && address.commune.trim() === '') return null;
  const doFetch = opts.fetch ?? fetch;
  const signal = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    const response = await doFetch(geocoderSearchUrl(config.geocoderUrl, address), {
      headers: { accept: 'application/json' },
      signal,
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      return null;
    }
    // The body is read under the same deadline: a server that sends headers then stalls is slow too.
    const text = await response.text();
    if (text.length > 1_000_000) return null;
    return readGeocoderAnswer(JSON.parse(text), address, opts.minScore ?? DEFAULT_MIN_SCORE);
  } catch {
    return null;
  }
}
