/**
 * How an upstream request travels: the proxy and TLS profile come from the credential, else the
 * provider, else the instance (GPROXY_UPSTREAM_PROXY). Bad values are configuration errors naming
 * where they were set.
 */
import type { DispatchOptions, TlsProfile } from '../channel/contract';
import { GatewayError } from '../core/errors';

/** A proxy setting that turns proxying off for that level and everything below it. */
const DIRECT = 'direct';
const PROXY_PROTOCOLS = new Set(['http:', 'https:', 'socks5:', 'socks5h:']);
const TLS_VERSIONS = new Set(['TLSv1.2', 'TLSv1.3']);

export interface DispatchSources {
  provider: { name: string; settings: Readonly<Record<string, unknown>> };
  credential: { label: string; settings: Readonly<Record<string, unknown>> } | null;
  instanceProxy: string | undefined;
}

export function resolveDispatch(sources: DispatchSources): DispatchOptions | undefined {
  const { provider, credential } = sources;
  const where = (level: 'credential' | 'provider'): string =>
    level === 'credential'
      ? `credential '${credential?.label ?? ''}' of provider '${provider.name}'`
      : `provider '${provider.name}'`;
  // The first level that names a proxy decides; `direct` there means no proxy, whatever the rest say.
  const named =
    proxySetting(credential?.settings['proxy'], where('credential')) ??
    proxySetting(provider.settings['proxy'], where('provider')) ??
    proxySetting(sources.instanceProxy, 'GPROXY_UPSTREAM_PROXY');
  const proxy = named === DIRECT ? undefined : named;
  const tls =
    tlsSetting(credential?.settings['tls'], where('credential')) ??
    tlsSetting(provider.settings['tls'], where('provider'));
  if (proxy === undefined && tls === undefined) return undefined;
  const dispatch: DispatchOptions = {};
  if (proxy !== undefined) dispatch.proxy = proxy;
  if (tls !== undefined) dispatch.tls = tls;
  return dispatch;
}

function bad(where: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `${where}: ${message}`);
}

function proxySetting(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === DIRECT) return DIRECT;
  if (typeof value !== 'string') throw bad(where, 'proxy must be a URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(where, 'proxy is not a URL');
  }
  if (!PROXY_PROTOCOLS.has(url.protocol)) throw bad(where, 'proxy must be an http, https or socks5 URL');
  return value;
}

function tlsSetting(value: unknown, where: string): TlsProfile | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw bad(where, 'tls must be an object');
  const raw = value as Record<string, unknown>;
  const profile: TlsProfile = {};
  for (const key of ['ciphers', 'ecdhCurve', 'sigalgs', 'ca'] as const) {
    const field = raw[key];
    if (field === undefined) continue;
    if (typeof field !== 'string') throw bad(where, `tls.${key} must be a string`);
    profile[key] = field;
  }
  for (const key of ['minVersion', 'maxVersion'] as const) {
    const field = raw[key];
    if (field === undefined) continue;
    if (typeof field !== 'string' || !TLS_VERSIONS.has(field))
      throw bad(where, `tls.${key} must be TLSv1.2 or TLSv1.3`);
    profile[key] = field as 'TLSv1.2' | 'TLSv1.3';
  }
  const alpn = raw['alpnProtocols'];
  if (alpn !== undefined) {
    if (!Array.isArray(alpn) || !alpn.every((p) => typeof p === 'string'))
      throw bad(where, 'tls.alpnProtocols must be a list of strings');
    profile.alpnProtocols = alpn;
  }
  const verify = raw['rejectUnauthorized'];
  if (verify !== undefined) {
    if (typeof verify !== 'boolean') throw bad(where, 'tls.rejectUnauthorized must be true or false');
    profile.rejectUnauthorized = verify;
  }
  return profile;
}
