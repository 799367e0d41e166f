/**
 * How a custom endpoint receives the key: each wire's own header by default (`authorization: Bearer`
 * for the OpenAI wires, `x-api-key` for claude, `x-goog-api-key` for gemini), or the header and
 * scheme the provider names, e.g. `{"auth_header": "api-key", "auth_scheme": ""}`.
 */
import { GatewayError } from '../../core/errors';
import type { ProviderContext } from '../contract';
import { headerName, headerValueSetting } from '../map-settings';
import { optionalStringSetting } from '../settings';

export interface AuthPlacement {
  /** Lower-case header name. */
  header: string;
  /** Written before the key with a space (`Bearer sk-...`); empty for the bare key. */
  scheme: string;
}

/** The placement the provider's settings ask for, or undefined to keep the wire's own. */
export function customAuthPlacement(
  provider: ProviderContext,
  wireHeader: string,
): AuthPlacement | undefined {
  const header = optionalStringSetting(provider, 'auth_header');
  // Read raw: an empty scheme is meaningful (the bare key), unlike an empty string setting elsewhere.
  const scheme = provider.settings['auth_scheme'];
  if (scheme !== undefined && scheme !== null && typeof scheme !== 'string') {
    throw new GatewayError(
      'invalid_request',
      `Provider "${provider.name}": setting "auth_scheme" must be a string`,
    );
  }
  if (header === undefined && (scheme === undefined || scheme === null)) return undefined;
  const name = header === undefined ? wireHeader : headerName(provider, 'auth_header', header);
  const prefix =
    typeof scheme === 'string'
      ? headerValueSetting(provider, 'auth_scheme', scheme.trim())
      : name === 'authorization'
        ? 'Bearer'
        : '';
  return { header: name, scheme: prefix };
}

export function authValue(placement: AuthPlacement, key: string): string {
  return placement.scheme === '' ? key : `${placement.scheme} ${key}`;
}
