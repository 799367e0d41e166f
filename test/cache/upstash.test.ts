import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../src/control-plane/cache-port';
import { UpstashCommandError } from '../../src/store/cache/upstash/rest-client';
import { UpstashCacheBackend } from '../../src/store/cache/upstash/upstash-cache';
import { startFakeUpstash, type FakeUpstash } from '../support/fake-upstash';
import { describeCacheConformance, eventually } from './conformance';
import { deleteKeys, newRunPrefix, redisSkipReason, TEST_REDIS_URL } from './redis-env';

const skip = await redisSkipReason();
const prefix = newRunPrefix();
let fake: FakeUpstash;

beforeAll(async () => {
  if (skip === undefined) fake = await startFakeUpstash({ redisUrl: TEST_REDIS_URL });
});
afterAll(async () => {
  if (skip === undefined) {
    await fake.close();
    await deleteKeys(prefix);
  }
});

const open = (namespace: string, overrides: { token?: string } = {}): UpstashCacheBackend =>
  new UpstashCacheBackend({
    url: fake.url,
    token: overrides.token ?? fake.token,
    keyPrefix: `${prefix}${namespace}:`,
    channelPrefix: `${prefix}${namespace}:`,
    maxReconnectBackoffMs: 200,
  });

describeCacheConformance(
  'upstash (REST, fake server on real Redis)',
  (namespace) => Promise.resolve(open(namespace)),
  {
    skip,
  },
);

describe.skipIf(skip !== undefined)('upstash cache backend specifics', () => {
  it('runs scripts by EVALSHA after the first EVAL', async () => {
    const cache = open('sha');
    const before = fake.counts.command;
    await cache.incrBy('n', 1, { ttlMs: 10_000 });
    await cache.incrBy('n', 1, { ttlMs: 10_000 });
    await cache.incrBy('n', 1, { ttlMs: 10_000 });
    // One request per call: EVAL the first time (which loads the script), EVALSHA after.
    expect(fake.counts.command - before).toBe(3);
    expect(await cache.get('n')).toBe('3');
    await cache.close();
  });

  it('peeks at any number of buckets in one request', async () => {
    const cache = open('peek');
    await cache.consume([{ key: 'a', limit: 10, windowMs: 60_000, cost: 4 }], 120_000);
    const before = fake.counts.command;
    const buckets = [
      { key: 'a', windowMs: 60_000 },
      { kind: 'gauge' as const, key: 'g' },
      { key: 'b', windowMs: 86_400_000 },
    ];
    expect(await cache.peek(buckets, 120_000)).toEqual([4, 0, 0]);
    expect(fake.counts.command - before).toBe(1);
    await cache.close();
  });

  it('maps an error reply to UpstashCommandError, and outages and a bad token to CacheUnavailableError', async () => {
    const cache = open('errors');
    await cache.set('text', 'abc');
    await expect(cache.incrBy('text', 1)).rejects.toBeInstanceOf(UpstashCommandError);
    await expect(open('errors', { token: 'wrong' }).get('x')).rejects.toThrow(
      /upstash cache backend unavailable: .*401: the token was refused/,
    );
    fake.down = true;
    try {
      await expect(cache.get('text')).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(cache.subscribe('c', () => undefined)).rejects.toBeInstanceOf(CacheUnavailableError);
    } finally {
      fake.down = false;
    }
    const unreachable = new UpstashCacheBackend({ url: 'http://127.0.0.1:1', token: 't' });
    await expect(unreachable.ping()).rejects.toBeInstanceOf(CacheUnavailableError);
    await cache.close();
  });

  it('reopens a dropped subscription stream', async () => {
    const cache = open('reconnect');
    const got: string[] = [];
    await cache.subscribe('c', (m) => got.push(m));
    const streams = fake.counts.subscribe;
    fake.dropSubscriptions();
    await eventually(() => expect(fake.counts.subscribe).toBeGreaterThan(streams));
    await eventually(async () => {
      await cache.publish('c', 'after');
      expect(got).toContain('after');
    });
    await cache.close();
  });

  it('sends a pipeline in one request', async () => {
    const cache = open('pipe');
    const before = fake.counts.pipeline;
    expect(await cache.client.pipeline([['PING'], ['ECHO', 'x'], ['INCRBY', `${prefix}pipe:n`, 2]])).toEqual([
      'PONG',
      'x',
      2,
    ]);
    expect(fake.counts.pipeline - before).toBe(1);
    await expect(cache.client.pipeline([['PING'], ['NOSUCHCOMMAND']])).rejects.toBeInstanceOf(
      UpstashCommandError,
    );
    await cache.close();
  });
});
