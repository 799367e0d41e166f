/**
 * One behavioural suite for every cache backend (memory, Redis, Upstash REST). `open(namespace)`
 * opens a backend on an isolated key and channel namespace; opening the same namespace twice
 * gives a second handle on the same state (another connection where the backend has them), so the
 * concurrency and pub/sub tests cross connections. Every handle is closed after each test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheBackend } from '../../src/control-plane/cache-port';
import { CacheUnavailableError } from '../../src/control-plane/cache-port';
import { describeAdmissionConformance } from './conformance-admission';
import { describePeekConformance } from './conformance-peek';

export type OpenCache = (namespace: string) => Promise<CacheBackend>;

export interface ConformanceOptions {
  /** Set to skip the suite, with the reason printed. */
  skip?: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` passes (or throws its last failure after `timeoutMs`). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

/** Tracks opened handles so each test gets fresh namespaces and nothing stays open. */
export function cacheHandles(open: OpenCache): {
  fresh: () => Promise<{ cache: CacheBackend; peer: () => Promise<CacheBackend> }>;
} {
  const opened: CacheBackend[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((cache) => cache.close()));
  });
  const openTracked = async (namespace: string): Promise<CacheBackend> => {
    const cache = await open(namespace);
    opened.push(cache);
    return cache;
  };
  return {
    fresh: async () => {
      const namespace = `t${Math.random().toString(36).slice(2, 10)}`;
      return { cache: await openTracked(namespace), peer: () => openTracked(namespace) };
    },
  };
}

export function describeCacheConformance(
  name: string,
  open: OpenCache,
  options: ConformanceOptions = {},
): void {
  if (options.skip !== undefined) {
    describe.skip(`${name} cache conformance (skipped: ${options.skip})`, () => {
      it('skipped', () => undefined);
    });
    return;
  }

  describe(`${name} cache conformance`, () => {
    const handles = cacheHandles(open);

    describe('get / set / delete', () => {
      it('stores, overwrites and deletes values', async () => {
        const { cache } = await handles.fresh();
        expect(await cache.get('a')).toBeNull();
        await cache.set('a', 'one');
        expect(await cache.get('a')).toBe('one');
        await cache.set('a', 'héllo, wörld ✓ {"json":[1,2]}');
        expect(await cache.get('a')).toBe('héllo, wörld ✓ {"json":[1,2]}');
        expect(await cache.delete('a')).toBe(true);
        expect(await cache.delete('a')).toBe(false);
        expect(await cache.get('a')).toBeNull();
      });

      it('expires a value after its TTL; a later set without TTL keeps it', async () => {
        const { cache } = await handles.fresh();
        // TTLs leave room for a loaded CI machine: each step must land well inside them.
        await cache.set('short', 'v', { ttlMs: 300 });
        expect(await cache.get('short')).toBe('v');
        await cache.set('kept', 'v', { ttlMs: 300 });
        await cache.set('kept', 'w');
        await sleep(600);
        expect(await cache.get('short')).toBeNull();
        expect(await cache.get('kept')).toBe('w');
      });

      it('rejects invalid TTLs', async () => {
        const { cache } = await handles.fresh();
        await expect(cache.set('a', 'v', { ttlMs: 0 })).rejects.toThrow(RangeError);
        await expect(cache.set('a', 'v', { ttlMs: 1.5 })).rejects.toThrow(RangeError);
      });
    });

    describe('incrBy', () => {
      it('adds and returns the new value; get reads a counter', async () => {
        const { cache } = await handles.fresh();
        expect(await cache.incrBy('n', 5)).toBe(5);
        expect(await cache.incrBy('n', -7)).toBe(-2);
        expect(await cache.get('n')).toBe('-2');
        await cache.set('m', '40');
        expect(await cache.incrBy('m', 2)).toBe(42);
        await cache.set('text', 'abc');
        await expect(cache.incrBy('text', 1)).rejects.toThrow();
        await expect(cache.incrBy('n', 0.5)).rejects.toThrow(RangeError);
      });

      it('sets the TTL only when it creates the key', async () => {
        const { cache } = await handles.fresh();
        expect(await cache.incrBy('c', 1, { ttlMs: 300 })).toBe(1);
        expect(await cache.incrBy('c', 1, { ttlMs: 60_000 })).toBe(2);
        await cache.set('persistent', '10');
        expect(await cache.incrBy('persistent', 1, { ttlMs: 300 })).toBe(11);
        await sleep(600);
        expect(await cache.get('c')).toBeNull();
        expect(await cache.incrBy('c', 1, { ttlMs: 60_000 })).toBe(1);
        expect(await cache.get('persistent')).toBe('11');
      });

      it('is atomic under 200 concurrent increments from two handles', async () => {
        const { cache, peer } = await handles.fresh();
        const other = await peer();
        const values = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            (i % 2 === 0 ? cache : other).incrBy('hits', 1, { ttlMs: 60_000 }),
          ),
        );
        expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
        expect(await other.get('hits')).toBe('200');
      });
    });

    describe('leases', () => {
      it('is exclusive; only the holder renews or releases', async () => {
        const { cache, peer } = await handles.fresh();
        const other = await peer();
        const token = await cache.acquireLease('job', 10_000);
        expect(token).toEqual(expect.any(String));
        expect(await other.acquireLease('job', 10_000)).toBeNull();
        expect(await other.renewLease('job', 'not-the-token', 10_000)).toBe(false);
        expect(await other.releaseLease('job', 'not-the-token')).toBe(false);
        expect(await other.renewLease('job', token!, 10_000)).toBe(true);
        expect(await other.releaseLease('job', token!)).toBe(true);
        expect(await cache.releaseLease('job', token!)).toBe(false);
        const next = await other.acquireLease('job', 10_000);
        expect(next).not.toBeNull();
        expect(next).not.toBe(token);
      });

      it('exactly one of many concurrent acquirers wins', async () => {
        const { cache, peer } = await handles.fresh();
        const other = await peer();
        const tokens = await Promise.all(
          Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? cache : other).acquireLease('one', 10_000)),
        );
        expect(tokens.filter((t) => t !== null)).toHaveLength(1);
      });

      it('expires: another holder takes it and the old token no longer works', async () => {
        const { cache } = await handles.fresh();
        const old = await cache.acquireLease('lease', 300);
        expect(old).not.toBeNull();
        const renewed = await cache.acquireLease('renewed', 300);
        expect(await cache.renewLease('renewed', renewed!, 5000)).toBe(true);
        await sleep(600);
        expect(await cache.acquireLease('renewed', 1000)).toBeNull();
        const fresh = await cache.acquireLease('lease', 10_000);
        expect(fresh).not.toBeNull();
        expect(await cache.renewLease('lease', old!, 10_000)).toBe(false);
        expect(await cache.releaseLease('lease', old!)).toBe(false);
        expect(await cache.releaseLease('lease', fresh!)).toBe(true);
      });
    });

    describe('publish / subscribe', () => {
      it('delivers to two subscribers and stops after unsubscribe', async () => {
        const { cache, peer } = await handles.fresh();
        const other = await peer();
        const first: string[] = [];
        const second: string[] = [];
        const elsewhere: string[] = [];
        const stopFirst = await cache.subscribe('news', (m) => first.push(m));
        await other.subscribe('news', (m) => second.push(m));
        await other.subscribe('other-channel', (m) => elsewhere.push(m));

        await cache.publish('news', 'one, with commas: ✓');
        await eventually(() => {
          expect(first).toEqual(['one, with commas: ✓']);
          expect(second).toEqual(['one, with commas: ✓']);
        });

        await stopFirst();
        await cache.publish('news', 'two');
        await eventually(() => expect(second).toEqual(['one, with commas: ✓', 'two']));
        await sleep(50);
        expect(first).toEqual(['one, with commas: ✓']);
        expect(elsewhere).toEqual([]);
      });

      it('keeps delivering to the others when a handler throws', async () => {
        const { cache } = await handles.fresh();
        const got: string[] = [];
        await cache.subscribe('c', () => {
          throw new Error('handler bug');
        });
        await cache.subscribe('c', (m) => got.push(m));
        await cache.publish('c', 'a');
        await cache.publish('c', 'b');
        await eventually(() => expect(got).toEqual(['a', 'b']));
      });

      it('publishing to a channel nobody listens to is fine', async () => {
        const { cache } = await handles.fresh();
        await expect(cache.publish('nobody', 'x')).resolves.toBeUndefined();
      });
    });

    describe('ping / close', () => {
      it('answers ping; rejects operations after close with CacheUnavailableError', async () => {
        const { cache } = await handles.fresh();
        await expect(cache.ping()).resolves.toBeUndefined();
        await cache.close();
        await cache.close();
        await expect(cache.get('a')).rejects.toBeInstanceOf(CacheUnavailableError);
        await expect(cache.publish('c', 'm')).rejects.toBeInstanceOf(CacheUnavailableError);
        await expect(cache.subscribe('c', () => undefined)).rejects.toBeInstanceOf(CacheUnavailableError);
      });
    });

    describeAdmissionConformance(handles);
    describePeekConformance(handles);
  });
}
