/**
 * Where the Redis-backed suites find Redis, and whether they run. In CI (CI=true) they always
 * run, so a Redis that is down fails them; locally they are skipped with a message instead.
 * Each run works under its own random key and channel prefix and deletes its keys afterwards.
 */
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env['GPROXY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Undefined when the suite must run; otherwise why it is skipped. */
export async function redisSkipReason(): Promise<string | undefined> {
  if (process.env['CI'] === 'true') return undefined;
  const probe = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch {
    const reason = `Redis is not reachable at ${TEST_REDIS_URL} (start it, or set CI=true to make this a failure)`;
    console.warn(`[cache tests] skipping: ${reason}`);
    return reason;
  } finally {
    probe.disconnect();
  }
}

export function newRunPrefix(): string {
  return `gproxy-test:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:`;
}

/** Deletes every key under the prefix. */
export function deleteKeys(prefix: string): Promise<void> {
  return withRawRedis(async (redis) => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  });
}

/** Runs `use` with a plain ioredis connection to the test Redis (for inspecting raw keys). */
export async function withRawRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}
