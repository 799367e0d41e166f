/** Reading a provider's settings and a credential's secret; bad values are configuration errors. */
import { GatewayError } from '../core/errors';
import type { CredentialContext, ProviderContext } from './contract';

function badSetting(provider: ProviderContext, message: string): GatewayError {
  return new GatewayError('invalid_request', `Provider "${provider.name}": ${message}`);
}

export function optionalStringSetting(provider: ProviderContext, key: string): string | undefined {
  const value = provider.settings[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badSetting(provider, `setting "${key}" must be a string`);
  return value;
}

/** Base URLs already validated, so that the hot path does not parse one per request. */
const validBaseUrls = new Map<string, string>();
const MAX_KNOWN_BASE_URLS = 1000;

/** The `base_url` setting (or the channel's default) without trailing slashes; only http(s). */
export function baseUrlSetting(provider: ProviderContext, fallback: string): string {
  const value = optionalStringSetting(provider, 'base_url') ?? fallback;
  const known = validBaseUrls.get(value);
  if (known !== undefined) return known;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badSetting(provider, `base_url "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badSetting(provider, 'base_url must be an http or https URL');
  }
  const base = value.replace(/\/+$/, '');
  if (validBaseUrls.size >= MAX_KNOWN_BASE_URLS) validBaseUrls.clear();
  validBaseUrls.set(value, base);
  return base;
}

/** A non-negative number setting; numeric strings are accepted since forms submit text. */
export function numberSetting(provider: ProviderContext, key: string, fallback: number): number {
  const value = provider.settings[key];
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
    throw badSetting(provider, `setting "${key}" must be a non-negative number`);
  }
  return number;
}

export function requireSecret(
  provider: ProviderContext,
  credential: CredentialContext,
  field: string,
): string {
  const value = credential.secret[field];
  if (!value) {
    throw badSetting(provider, `credential "${credential.label}" has no "${field}"`);
  }
  return value;
}
