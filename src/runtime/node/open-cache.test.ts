import { describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../control-plane/cache-port';
import { silentLogger } from '../../core/logger';
import { serveConfig } from './config';
import { openCache, parseCacheUrl, redactCacheUrl } from './open-cache';

describe('cache URL', () => {
  it('parses each scheme, with the prefixes and defaults', () => {
    expect(parseCacheUrl('memory://', undefined)).toEqual({ kind: 'memory' });
    expect(parseCacheUrl('redis://:pw@cache.internal:6380/2', undefined)).toEqual({
      kind: 'redis',
      url: 'redis://:pw@cache.internal:6380/2',
      keyPrefix: 'gproxy:',
      channelPrefix: '',
    });
    expect(parseCacheUrl('rediss://cache:6379?prefix=gp-eu:&channel_prefix=eu:&family=6', undefined)).toEqual(
      {
        kind: 'redis',
        url: 'rediss://cache:6379?family=6',
        keyPrefix: 'gp-eu:',
        channelPrefix: 'eu:',
      },
    );
    expect(parseCacheUrl('upstash+https://eu1-x.upstash.io/', 'tok')).toEqual({
      kind: 'upstash',
      url: 'https://eu1-x.upstash.io',
      token: 'tok',
      keyPrefix: 'gproxy:',
      channelPrefix: '',
    });
  });

  it('refuses unknown schemes and an upstash URL without its token', () => {
    expect(() => parseCacheUrl('memcached://x', undefined)).toThrow(/unsupported cache URL/);
    expect(() => parseCacheUrl('upstash+https://x.upstash.io', undefined)).toThrow(
      /GPROXY_CACHE_TOKEN is required/,
    );
    expect(redactCacheUrl('redis://user:secret@h:1')).toBe('redis://user:***@h:1');
  });

  it('reads --cache-url / GPROXY_CACHE_URL, with --redis-url / GPROXY_REDIS_URL as aliases', () => {
    expect(serveConfig({}, {}).cacheUrl).toBe('memory://');
    expect(serveConfig({}, { GPROXY_REDIS_URL: 'redis://a' }).cacheUrl).toBe('redis://a');
    expect(serveConfig({}, { GPROXY_REDIS_URL: 'redis://a', GPROXY_CACHE_URL: 'redis://b' }).cacheUrl).toBe(
      'redis://b',
    );
    expect(serveConfig({ 'redis-url': 'redis://c' }, { GPROXY_CACHE_URL: 'redis://b' }).cacheUrl).toBe(
      'redis://c',
    );
    expect(serveConfig({ 'cache-url': 'memory://', 'redis-url': 'redis://c' }, {}).cacheUrl).toBe(
      'memory://',
    );
    expect(serveConfig({}, { GPROXY_CACHE_TOKEN: 't' }).cacheToken).toBe('t');
  });

  it('opens the memory backend, and fails at start when a remote cache does not answer', async () => {
    const memory = await openCache('memory://', undefined, silentLogger);
    expect(memory.kind).toBe('memory');
    await memory.close();
    await expect(openCache('redis://127.0.0.1:1', undefined, silentLogger)).rejects.toBeInstanceOf(
      CacheUnavailableError,
    );
    await expect(openCache('upstash+http://127.0.0.1:1', 'tok', silentLogger)).rejects.toBeInstanceOf(
      CacheUnavailableError,
    );
  });
});
