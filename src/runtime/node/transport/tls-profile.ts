/**
 * TLS profiles (per provider or credential) as Node `tls.connect` options, and the stable key that
 * tells two profiles apart for dispatcher reuse. Profiles come from operator settings (JSON), so
 * every field is checked: a `"false"` string must not silently keep certificate checks on or off.
 */
import type { ConnectionOptions } from 'node:tls';
import type { TlsProfile } from '../../../channel/contract';
import { misconfigured } from './proxy-config';

const VERSIONS = new Set(['TLSv1.2', 'TLSv1.3']);
const keys = new WeakMap<TlsProfile, string>();

/** What undici offers when no profile sets ALPN: it speaks HTTP/1.1 unless the server picks h2. */
export const DEFAULT_ALPN: readonly string[] = ['http/1.1'];

/** True when the profile sets at least one field (an empty object is no profile). */
export function hasTlsSettings(profile: TlsProfile | undefined): profile is TlsProfile {
  if (profile === undefined) return false;
  for (const value of Object.values(profile)) if (value !== undefined) return true;
  return false;
}

/**
 * A string identifying the profile's effect; equal profiles share connections. Cached per object:
 * settings objects come from the immutable snapshot, so the same profile is seen again and again.
 */
export function tlsProfileKey(profile: TlsProfile): string {
  let key = keys.get(profile);
  if (key === undefined) {
    const options = tlsConnectionOptions(profile);
    key = JSON.stringify([
      options.ciphers,
      options.ecdhCurve,
      options.sigalgs,
      options.ALPNProtocols,
      options.minVersion,
      options.maxVersion,
      options.ca,
      options.rejectUnauthorized,
    ]);
    keys.set(profile, key);
  }
  return key;
}

/** Validates the profile and maps it onto `tls.connect` options (fields left unset keep Node's defaults). */
export function tlsConnectionOptions(profile: TlsProfile): ConnectionOptions {
  const options: ConnectionOptions = {};
  const ciphers = optionalString(profile, 'ciphers');
  if (ciphers !== undefined) options.ciphers = ciphers;
  const ecdhCurve = optionalString(profile, 'ecdhCurve');
  if (ecdhCurve !== undefined) options.ecdhCurve = ecdhCurve;
  const sigalgs = optionalString(profile, 'sigalgs');
  if (sigalgs !== undefined) options.sigalgs = sigalgs;
  const ca = optionalString(profile, 'ca');
  if (ca !== undefined) options.ca = ca;
  const alpn: unknown = profile.alpnProtocols;
  if (alpn !== undefined) {
    if (!Array.isArray(alpn) || alpn.length === 0 || !alpn.every((p) => typeof p === 'string' && p !== '')) {
      throw misconfigured('tls.alpnProtocols must be a non-empty list of protocol names');
    }
    options.ALPNProtocols = alpn as string[];
  }
  const minVersion = optionalVersion(profile, 'minVersion');
  if (minVersion !== undefined) options.minVersion = minVersion;
  const maxVersion = optionalVersion(profile, 'maxVersion');
  if (maxVersion !== undefined) options.maxVersion = maxVersion;
  const reject: unknown = profile.rejectUnauthorized;
  if (reject !== undefined) {
    if (typeof reject !== 'boolean') throw misconfigured('tls.rejectUnauthorized must be true or false');
    options.rejectUnauthorized = reject;
  }
  return options;
}

/** The trust part of a profile, which also applies to an `https://` proxy's own certificate. */
export function trustOptions(options: ConnectionOptions): ConnectionOptions {
  const trust: ConnectionOptions = {};
  if (options.ca !== undefined) trust.ca = options.ca;
  if (options.rejectUnauthorized !== undefined) trust.rejectUnauthorized = options.rejectUnauthorized;
  return trust;
}

function optionalString(
  profile: TlsProfile,
  field: 'ciphers' | 'ecdhCurve' | 'sigalgs' | 'ca',
): string | undefined {
  const value: unknown = profile[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw misconfigured(`tls.${field} must be a non-empty string`);
  return value;
}

function optionalVersion(
  profile: TlsProfile,
  field: 'minVersion' | 'maxVersion',
): 'TLSv1.2' | 'TLSv1.3' | undefined {
  const value: unknown = profile[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !VERSIONS.has(value)) {
    throw misconfigured(`tls.${field} must be 'TLSv1.2' or 'TLSv1.3'`);
  }
  return value as 'TLSv1.2' | 'TLSv1.3';
}
