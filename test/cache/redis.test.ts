import { afterAll, describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../src/control-plane/cache-port';
import { silentLogger } from '../../src/core/logger';
import { openRedisCache, RedisCacheBackend } from '../../src/store/cache/redis/redis-cache';
import { describeCacheConformance } from './conformance';
import { deleteKeys, newRunPrefix, redisSkipReason, TEST_REDIS_URL, withRawRedis } from './redis-env';

const skip = await redisSkipReason();
const prefix = newRunPrefix();

afterAll(async () => {
  if (skip === undefined) await deleteKeys(prefix);
});

describeCacheConformance(
  'redis',
  (namespace) =>
    openRedisCache({
      url: TEST_REDIS_URL,
      keyPrefix: `${prefix}${namespace}:`,
      channelPrefix: `${prefix}${namespace}:`,
    }),
  { skip },
);

describe.skipIf(skip !== undefined)('redis cache backend specifics', () => {
  it('fails to open with a clear CacheUnavailableError when Redis is not there', async () => {
    const error: unknown = await openRedisCache({
      url: 'redis://:secret@127.0.0.1:1',
      connectTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheUnavailableError);
    expect((error as Error).message).toMatch(
      /redis cache backend unavailable: redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
    expect((error as Error).message).not.toContain('secret');
  });

  it('rejects operations at once while Redis is unreachable, instead of queueing them', async () => {
    const cache = new RedisCacheBackend({ url: 'redis://127.0.0.1:1' });
    const started = Date.now();
    await expect(cache.get('a')).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(
      cache.consume([{ key: 'k', limit: 1, windowMs: 1000, cost: 1 }], Date.now()),
    ).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(cache.subscribe('c', () => undefined)).rejects.toBeInstanceOf(CacheUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
    await cache.close();
  });

  it('loads a script with EVAL when the server does not know it (after SCRIPT FLUSH)', async () => {
    const keyPrefix = `${prefix}flush:`;
    const cache = await openRedisCache({ url: TEST_REDIS_URL, keyPrefix });
    try {
      expect(await cache.incrBy('n', 1, { ttlMs: 10_000 })).toBe(1);
      // SCRIPT FLUSH is server-wide; other suites running now just reload their scripts the same way.
      await withRawRedis((redis) => redis.script('FLUSH'));
      expect(await cache.incrBy('n', 1, { ttlMs: 10_000 })).toBe(2);
    } finally {
      await cache.close();
    }
  });

  it('warns at start when Redis may evict keys, and not when it may not', async () => {
    const opened = async (): Promise<string[]> => {
      const warnings: string[] = [];
      const logger = { ...silentLogger, warn: (_fields: unknown, message: string) => warnings.push(message) };
      const cache = await openRedisCache({ url: TEST_REDIS_URL, keyPrefix: `${prefix}evict:`, logger });
      await cache.close();
      return warnings;
    };
    const before = await withRawRedis((redis) => redis.config('GET', 'maxmemory-policy'));
    try {
      await withRawRedis((redis) => redis.config('SET', 'maxmemory-policy', 'noeviction'));
      expect(await opened()).toEqual([]);
      // With maxmemory 0 (no limit) nothing is evicted meanwhile, whatever the policy.
      await withRawRedis((redis) => redis.config('SET', 'maxmemory-policy', 'allkeys-lru'));
      expect(await opened()).toEqual([expect.stringContaining('maxmemory-policy is not noeviction')]);
    } finally {
      const policy = Array.isArray(before) && typeof before[1] === 'string' ? before[1] : 'noeviction';
      await withRawRedis((redis) => redis.config('SET', 'maxmemory-policy', policy));
    }
  });

  it('puts every key under the prefix', async () => {
    const keyPrefix = `${prefix}layout:`;
    const cache = await openRedisCache({ url: TEST_REDIS_URL, keyPrefix });
    try {
      await cache.set('a', '1');
      await cache.consume([{ key: 'r', limit: 5, windowMs: 60_000, cost: 1 }], 120_000);
      await cache.consume([{ kind: 'gauge', key: 'g', limit: 5, ttlMs: 60_000, cost: 1 }], 0);
      await cache.acquireLease('l', 60_000);
      const keys = await withRawRedis((redis) => redis.keys(`${keyPrefix}*`));
      expect(keys.sort()).toEqual([
        `${keyPrefix}gauge:g`,
        `${keyPrefix}kv:a`,
        `${keyPrefix}lease:l`,
        `${keyPrefix}rl:r:60000:2`,
      ]);
    } finally {
      await cache.close();
    }
  });
});
