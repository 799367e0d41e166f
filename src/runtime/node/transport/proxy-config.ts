/**
 * Upstream proxy URLs: parsing, validation and the label errors may show. A proxy URL may carry
 * credentials (`http://user:pass@host:port`), so nothing outside this file sees the raw URL in a
 * message: errors name the proxy by `scheme://host:port` only.
 */
import { GatewayError } from '../../../core/errors';

export type ProxyKind = 'http' | 'https' | 'socks5';

export interface ProxyConfig {
  kind: ProxyKind;
  /** Host name or IP literal (IPv6 without brackets). */
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  /** `scheme://host:port`, safe for messages and logs (no credentials). */
  label: string;
}

/** The proxy value that means "no proxy", so a credential or provider can opt out of an instance-wide one. */
export const DIRECT = 'direct';

const DEFAULT_PORTS: Record<ProxyKind, number> = { http: 80, https: 443, socks5: 1080 };

/** Parses a proxy URL; throws a GatewayError that never echoes the URL (it may hold a password). */
export function parseProxy(raw: string): ProxyConfig {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw misconfigured('the upstream proxy setting is not a valid URL');
  }
  const kind = kindOf(url.protocol);
  if (kind === undefined) {
    throw misconfigured(
      `the upstream proxy scheme '${url.protocol}' is not supported (use http://, https://, socks5:// or socks5h://)`,
    );
  }
  if (url.hostname === '') throw misconfigured('the upstream proxy URL has no host');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? DEFAULT_PORTS[kind] : Number(url.port);
  return {
    kind,
    host,
    port,
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    label: `${url.protocol}//${url.host}`,
  };
}

function kindOf(protocol: string): ProxyKind | undefined {
  switch (protocol) {
    case 'http:':
      return 'http';
    case 'https:':
      return 'https';
    // The proxy always resolves target names (no local DNS lookups that would leak or disagree with
    // the proxy's view), so `socks5://` behaves like curl's `socks5h://`.
    case 'socks5:':
    case 'socks5h:':
    case 'socks:':
      return 'socks5';
    default:
      return undefined;
  }
}

/** `Proxy-Authorization` value for an HTTP proxy with credentials in its URL. */
export function proxyAuthorization(proxy: ProxyConfig): string | undefined {
  if (proxy.username === undefined) return undefined;
  const pair = `${proxy.username}:${proxy.password ?? ''}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/**
 * A dispatch setting that cannot work. It is reported like an unreachable upstream (502, retryable)
 * rather than a client error: the operator's configuration is at fault, and another candidate may
 * be configured correctly.
 */
export function misconfigured(message: string): GatewayError {
  return new GatewayError('upstream_unreachable', `Upstream dispatch misconfigured: ${message}.`, {
    retryable: true,
  });
}

/** A failure of the proxy itself (refused, auth failed, SOCKS error), naming it without credentials. */
export class ProxyError extends Error {
  readonly proxy: string;

  constructor(proxy: ProxyConfig, detail: string, options?: { cause?: unknown }) {
    super(`proxy ${proxy.label} ${detail}`, options);
    this.name = 'ProxyError';
    this.proxy = proxy.label;
  }
}
