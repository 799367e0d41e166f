/**
 * Opens the cache backend named by --cache-url / GPROXY_CACHE_URL (alias: --redis-url /
 * GPROXY_REDIS_URL). DSNs, documented in docs/cache.md:
 *   memory://                                  in-process (default); nothing shared between instances
 *   redis://[user:pass@]host[:port][/db]       Redis over TCP; rediss:// for TLS
 *   upstash+https://host[/path]                Upstash-style REST; token from GPROXY_CACHE_TOKEN
 * Redis and Upstash DSNs take `?prefix=` (key prefix, default `gproxy:`) and `?channel_prefix=`
 * (pub/sub channel prefix, default none). The backend must answer at start, or start fails.
 */
import type { CacheBackend } from '../../control-plane/cache-port';
import type { Logger } from '../../core/logger';
import { MemoryCacheBackend } from '../../store/cache/memory/memory-cache';
import { openRedisCache } from '../../store/cache/redis/redis-cache';
import { UpstashCacheBackend } from '../../store/cache/upstash/upstash-cache';

export const DEFAULT_CACHE_URL = 'memory://';
const DEFAULT_KEY_PREFIX = 'gproxy:';

export type CacheLocation =
  | { kind: 'memory' }
  | { kind: 'redis'; url: string; keyPrefix: string; channelPrefix: string }
  | { kind: 'upstash'; url: string; token: string; keyPrefix: string; channelPrefix: string };

/** Parses a cache DSN; throws a message naming the setting when it is not usable. */
export function parseCacheUrl(dsn: string, token: string | undefined): CacheLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(dsn)?.[1]?.toLowerCase();
  if (scheme === 'memory') return { kind: 'memory' };
  if (scheme !== 'redis' && scheme !== 'rediss' && scheme !== 'upstash+https' && scheme !== 'upstash+http') {
    throw new Error(
      `GPROXY_CACHE_URL / --cache-url: unsupported cache URL '${redactCacheUrl(dsn)}'; ` +
        'use memory://, redis://, rediss:// or upstash+https://',
    );
  }
  let url: URL;
  try {
    url = new URL(scheme.startsWith('upstash+') ? dsn.slice('upstash+'.length) : dsn);
  } catch {
    throw new Error(`GPROXY_CACHE_URL / --cache-url: malformed URL '${redactCacheUrl(dsn)}'`);
  }
  const keyPrefix = url.searchParams.get('prefix') ?? DEFAULT_KEY_PREFIX;
  const channelPrefix = url.searchParams.get('channel_prefix') ?? '';
  url.searchParams.delete('prefix');
  url.searchParams.delete('channel_prefix');
  const plain = url.toString().replace(/\?$/, '');
  if (scheme === 'redis' || scheme === 'rediss')
    return { kind: 'redis', url: plain, keyPrefix, channelPrefix };
  if (token === undefined || token === '') {
    throw new Error('GPROXY_CACHE_TOKEN is required with an upstash+https:// cache URL (the REST token)');
  }
  return { kind: 'upstash', url: plain.replace(/\/$/, ''), token, keyPrefix, channelPrefix };
}

export async function openCache(
  dsn: string,
  token: string | undefined,
  logger: Logger,
): Promise<CacheBackend> {
  const location = parseCacheUrl(dsn, token);
  let cache: CacheBackend;
  switch (location.kind) {
    case 'memory':
      cache = new MemoryCacheBackend({ logger });
      break;
    case 'redis':
      cache = await openRedisCache({ ...location, logger });
      break;
    case 'upstash':
      cache = new UpstashCacheBackend({ ...location, logger });
      try {
        await cache.ping();
      } catch (error) {
        await cache.close();
        throw error;
      }
      break;
  }
  logger.info({ cache: location.kind, url: redactCacheUrl(dsn) }, 'cache backend ready');
  return cache;
}

/** The DSN without its password, for logs and messages. */
export function redactCacheUrl(dsn: string): string {
  return dsn.replace(/\/\/([^:/@]*):([^@]+)@/, '//$1:***@');
}
