/**
 * Credential budgets, credential health and affinity pins shared through real Redis: two
 * "instances" (each its own Redis connection, budget gate, health book and pin store) behave as one. The unit tests next to the
 * code prove the same logic against the memory backend.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CacheBackend } from '../../src/control-plane/cache-port';
import { silentLogger } from '../../src/core/logger';
import { SharedCredentialBudgets } from '../../src/pipeline/credentials/shared-budgets';
import { HealthBook } from '../../src/pipeline/health/health-book';
import { HEALTH_CHANNEL, shareHealth } from '../../src/pipeline/health/health-events';
import { SharedAffinityStore } from '../../src/pipeline/routing/shared-affinity';
import { openRedisCache } from '../../src/store/cache/redis/redis-cache';
import { eventually, sleep } from './conformance';
import { deleteKeys, newRunPrefix, redisSkipReason, TEST_REDIS_URL, withRawRedis } from './redis-env';

const skip = await redisSkipReason();
const prefix = newRunPrefix();

afterAll(async () => {
  if (skip === undefined) await deleteKeys(prefix);
});

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function connection(): Promise<CacheBackend> {
  const cache = await openRedisCache({ url: TEST_REDIS_URL, keyPrefix: prefix, channelPrefix: prefix });
  cleanup.push(() => cache.close());
  return cache;
}

describe.skipIf(skip !== undefined)('credential budgets in Redis', () => {
  it('admits exactly rpm of 200 concurrent requests across two instances', async () => {
    const [a, b] = [
      new SharedCredentialBudgets(await connection(), silentLogger),
      new SharedCredentialBudgets(await connection(), silentLogger),
    ];
    const now = Date.now();
    const budget = { rpm: 13, tpm: null };
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => (i % 2 === 0 ? a : b).tryAcquire('cred-rpm', budget, now)),
    );
    expect(answers.filter(Boolean)).toHaveLength(13);
  });

  it('charges tokens settled on one instance against the other', async () => {
    const a = new SharedCredentialBudgets(await connection(), silentLogger);
    const b = new SharedCredentialBudgets(await connection(), silentLogger);
    const now = Date.now();
    const budget = { rpm: 100, tpm: 500 };
    expect(await a.tryAcquire('cred-tpm', budget, now)).toBe(true);
    a.recordTokens('cred-tpm', budget, 499, now);
    const window = `${prefix}rl:credential:cred-tpm:tpm:60000:${Math.floor(now / 60_000)}`;
    await eventually(async () => expect(await withRawRedis((redis) => redis.get(window))).toBe('499'));
    // 499 of 500: admitted (the check itself takes no tokens).
    expect(await b.tryAcquire('cred-tpm', budget, now)).toBe(true);
    a.recordTokens('cred-tpm', budget, 1, now);
    await eventually(async () => expect(await b.tryAcquire('cred-tpm', budget, now)).toBe(false));
  });
});

describe.skipIf(skip !== undefined)('credential health shared over Redis pub/sub', () => {
  async function instance(id: string) {
    const book = new HealthBook();
    const stop = await shareHealth({
      book,
      cache: await connection(),
      instanceId: id,
      logger: silentLogger,
      now: () => Date.now(),
    });
    cleanup.push(stop);
    return book;
  }

  const key = { credentialId: 'cred-shared', model: 'gpt-up' };

  it("applies another instance's 429 cooldown, auth-dead mark and breaker opening", async () => {
    const a = await instance('a');
    const b = await instance('b');
    const now = Date.now();
    a.record(key, { kind: 'rate-limited', retryAfterMs: 120_000 }, now);
    await eventually(() =>
      expect(b.check(key, Date.now())).toEqual({
        allowed: false,
        reason: 'rate-limited',
        retryAtMs: now + 120_000,
      }),
    );
    const dead = { credentialId: 'cred-dead', model: 'gpt-up' };
    b.record(dead, { kind: 'auth-dead' }, now);
    await eventually(() =>
      expect(a.check(dead, Date.now())).toMatchObject({ reason: 'auth-dead', retryAtMs: now + 600_000 }),
    );
    const flaky = { credentialId: 'cred-flaky', model: 'gpt-up' };
    for (let i = 0; i < 3; i++) a.record(flaky, { kind: 'transient' }, now);
    await eventually(() =>
      expect(b.check(flaky, now + 1_000)).toMatchObject({ reason: 'circuit-open', retryAtMs: now + 5_000 }),
    );
  });

  it('carries operator resets and skips its own messages', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const now = Date.now();
    a.record(key, { kind: 'auth-dead' }, now);
    await eventually(() => expect(b.size).toBe(1));
    b.resetCredentials([key.credentialId], null);
    await eventually(() => expect(a.size).toBe(0));
    // A reset sent by "a" itself comes back to it and must not wipe what it learned meanwhile.
    const cache = await connection();
    a.record(key, { kind: 'auth-dead' }, now);
    await cache.publish(
      HEALTH_CHANNEL,
      JSON.stringify({ v: 1, from: 'a', kind: 'reset', credentialIds: null, model: null }),
    );
    await sleep(200);
    expect(a.size).toBe(1);
  });
});

describe.skipIf(skip !== undefined)('affinity pins in Redis', () => {
  const pin = { memberId: 'member-b', credentialId: 'cred-2' };

  it('serves a pin set on one instance to the other, until its window ends', async () => {
    const a = new SharedAffinityStore(await connection(), silentLogger);
    const b = new SharedAffinityStore(await connection(), silentLogger);
    const key = `route-1\u0000conversation\u0000${prefix}`;
    expect(await b.get(key, Date.now())).toBeUndefined();
    await a.set(key, pin, 300, Date.now());
    expect(await b.get(key, Date.now())).toEqual(pin);
    await b.set(key, { memberId: 'member-a', credentialId: null }, 60_000, Date.now());
    expect(await a.get(key, Date.now())).toEqual({ memberId: 'member-a', credentialId: null });
    await a.set(key, pin, 200, Date.now());
    await sleep(350);
    expect(await b.get(key, Date.now())).toBeUndefined();
  });

  it("keeps this instance's pins while the cache is down", async () => {
    const cache = await connection();
    const store = new SharedAffinityStore(cache, silentLogger);
    const key = `route-2\u0000user_key\u0000${prefix}`;
    await store.set(key, pin, 60_000, Date.now());
    await cache.close();
    expect(await store.get(key, Date.now())).toEqual(pin);
    await expect(store.set(key, pin, 60_000, Date.now())).resolves.toBeUndefined();
  });
});
