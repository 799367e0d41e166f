/**
 * OAuth access tokens for a service account: a signed JWT exchanged at the account's token_uri,
 * cached until five minutes before it expires, one exchange at a time per key.
 */
import { GatewayError } from '../../core/errors';
import { tryParseJson } from '../../core/json';
import type { ChannelServices } from '../contract';
import { signServiceAccountJwt } from './jwt';
import type { ServiceAccount } from './service-account';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Refreshed this long before expiry, so a token never dies in the middle of a long request. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
const DEFAULT_EXPIRES_IN_SECONDS = 3600;

/**
 * Exchanges under way, by cache key: concurrent requests on a cold key share one. Per process,
 * like the cache it fills.
 */
const inFlight = new Map<string, Promise<string>>();

/**
 * The shared exchange must not die with the first request that asked for it (the others still
 * wait), so it runs without a caller's signal; the transport's timeouts bound it.
 */
const DETACHED = new AbortController().signal;

interface CachedToken {
  token: string;
  refreshAt: number;
}

export function tokenCacheKey(account: ServiceAccount): string {
  return `vertex:token:${account.clientEmail}:${account.privateKeyId ?? ''}`;
}

function readCached(services: ChannelServices, key: string): string | undefined {
  const text = services.cache.get(key);
  if (text === undefined) return undefined;
  const parsed = tryParseJson(text);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return undefined;
  const entry = parsed.value as Partial<CachedToken>;
  // Checked against the gateway's clock too: the cache may keep entries by another clock.
  if (typeof entry.token !== 'string' || typeof entry.refreshAt !== 'number') return undefined;
  return entry.refreshAt > services.now ? entry.token : undefined;
}

/** A failed exchange means this credential cannot serve now; failover should try the next one. */
function tokenFailure(account: ServiceAccount, message: string, cause?: unknown): GatewayError {
  return new GatewayError('upstream_error', `Service account ${account.clientEmail}: ${message}`, {
    status: 502,
    retryable: true,
    cause,
  });
}

/** Google's OAuth error (`invalid_grant: Invalid JWT Signature.`), short; it never echoes the key. */
function describeOAuthError(body: string): string {
  const parsed = tryParseJson(body);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return '';
  const { error, error_description: description } = parsed.value as Record<string, unknown>;
  const parts = [error, description].filter((part): part is string => typeof part === 'string');
  return parts.length === 0 ? '' : `: ${parts.join(': ').slice(0, 300)}`;
}

async function exchange(account: ServiceAccount, services: ChannelServices, key: string): Promise<string> {
  const assertion = await signServiceAccountJwt(account, services.now);
  const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion });
  let response: { status: number; body: string };
  try {
    response = await services.fetchText(
      {
        method: 'POST',
        url: account.tokenUri,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      },
      DETACHED,
    );
  } catch (error) {
    throw tokenFailure(account, 'token endpoint unreachable', error);
  }
  if (response.status === 400 || response.status === 401) {
    throw tokenFailure(account, `token endpoint rejected the credential${describeOAuthError(response.body)}`);
  }
  if (response.status < 200 || response.status >= 300) {
    throw tokenFailure(
      account,
      `token endpoint answered ${response.status}${describeOAuthError(response.body)}`,
    );
  }
  const parsed = tryParseJson(response.body);
  const record =
    parsed.ok && typeof parsed.value === 'object' && parsed.value !== null
      ? (parsed.value as Record<string, unknown>)
      : {};
  const token = record['access_token'];
  if (typeof token !== 'string' || token === '') {
    throw tokenFailure(account, 'token endpoint answered without an access_token');
  }
  const expiresIn = record['expires_in'];
  const lifetimeMs =
    (typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_SECONDS) * 1000;
  const refreshAt = services.now + lifetimeMs - REFRESH_MARGIN_MS;
  // A token living less than the margin is used once and not kept.
  if (refreshAt > services.now) services.cache.set(key, JSON.stringify({ token, refreshAt }), refreshAt);
  return token;
}

/** Rejects with the caller's abort reason as soon as it aborts, without cancelling `promise`. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A valid access token for the account: from the cache, from an exchange under way, or a new one. */
export function serviceAccountAccessToken(
  account: ServiceAccount,
  services: ChannelServices,
  signal: AbortSignal,
): Promise<string> {
  const key = tokenCacheKey(account);
  const cached = readCached(services, key);
  if (cached !== undefined) return Promise.resolve(cached);
  let pending = inFlight.get(key);
  if (pending === undefined) {
    pending = exchange(account, services, key).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return untilAborted(pending, signal);
}
