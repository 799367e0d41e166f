/**
 * The read half of the cache conformance suite: peek() reports the counts consume() and release()
 * left, per window and per gauge, without changing anything. Times are passed explicitly, so the
 * window arithmetic is deterministic.
 */
import { describe, expect, it } from 'vitest';
import type { AdmissionBucket, CacheBackend, PeekBucket } from '../../src/control-plane/cache-port';
import { CacheUnavailableError } from '../../src/control-plane/cache-port';
import { sleep } from './conformance';

type Handles = { fresh: () => Promise<{ cache: CacheBackend; peer: () => Promise<CacheBackend> }> };

const MINUTE = 60_000;
const DAY = 86_400_000;
/** 15 s into a minute window, well inside its day. */
const T = 20_000 * DAY + 7 * MINUTE + 15_000;

const perMinute = (key: string, cost = 1, limit = 1000): AdmissionBucket => ({
  key,
  limit,
  windowMs: MINUTE,
  cost,
});
const gauge = (key: string, cost = 1, ttlMs = MINUTE): AdmissionBucket => ({
  kind: 'gauge',
  key,
  limit: 100,
  ttlMs,
  cost,
});

export function describePeekConformance(handles: Handles): void {
  describe('peek', () => {
    it('reads the counts consume and release left, per bucket in input order', async () => {
      const { cache, peer } = await handles.fresh();
      expect(await cache.consume([perMinute('a', 3), perMinute('b', 5)], T)).toMatchObject({
        allowed: true,
      });
      await cache.consume([perMinute('a', 4)], T + 1000);
      const other = await peer();
      // Another handle (connection) sees the same counts, in the order asked.
      expect(await other.peek([perMinute('b'), perMinute('a')], T)).toEqual([5, 7]);
      await cache.release([perMinute('a', 2)], T);
      expect(await cache.peek([perMinute('a'), perMinute('b')], T + 30_000)).toEqual([5, 5]);
      // A negative release charges extra; the count follows it.
      await cache.release([perMinute('b', -10)], T);
      expect(await cache.peek([perMinute('b')], T)).toEqual([15]);
      expect(await cache.peek([], T)).toEqual([]);
    });

    it('reads 0 for buckets nothing counted in, and changes nothing itself', async () => {
      const { cache } = await handles.fresh();
      expect(await cache.peek([perMinute('none'), gauge('none'), perMinute('none')], T)).toEqual([0, 0, 0]);
      await cache.consume([perMinute('k', 2, 4)], T);
      for (let i = 0; i < 3; i++) expect(await cache.peek([perMinute('k')], T)).toEqual([2]);
      // Peeking at a missing bucket did not create it: the full limit is still there.
      expect(await cache.consume([perMinute('none', 1000, 1000)], T)).toEqual({
        allowed: true,
        remaining: [0],
      });
      expect(await cache.consume([perMinute('k', 2, 4)], T)).toEqual({ allowed: true, remaining: [0] });
    });

    it('reads the window that contains nowMs: a new window starts at 0, an old one keeps its count', async () => {
      const { cache } = await handles.fresh();
      await cache.consume([perMinute('w', 3)], T);
      expect(await cache.peek([perMinute('w')], T + 44_999)).toEqual([3]);
      expect(await cache.peek([perMinute('w')], T + 45_000)).toEqual([0]);
      await cache.consume([perMinute('w', 1)], T + 45_000);
      expect(await cache.peek([perMinute('w')], T + 45_000)).toEqual([1]);
      expect(await cache.peek([perMinute('w')], T)).toEqual([3]);
      // A day window over the same key counts apart from the minute window.
      await cache.consume([{ key: 'w', limit: 100, windowMs: DAY, cost: 9 }], T);
      expect(await cache.peek([{ key: 'w', windowMs: DAY }, perMinute('w')], T)).toEqual([9, 3]);
    });

    it('reads gauges, which do not depend on nowMs, apart from windows of the same key', async () => {
      const { cache } = await handles.fresh();
      await cache.consume([gauge('slots')], T);
      await cache.consume([gauge('slots'), perMinute('slots', 5)], T);
      const asked: PeekBucket[] = [{ kind: 'gauge', key: 'slots' }, perMinute('slots')];
      expect(await cache.peek(asked, T)).toEqual([2, 5]);
      expect(await cache.peek([{ kind: 'gauge', key: 'slots' }], T + 3 * DAY)).toEqual([2]);
      await cache.release([gauge('slots')], T);
      expect(await cache.peek(asked, T)).toEqual([1, 5]);
      await cache.release([gauge('slots', 5)], T);
      expect(await cache.peek(asked, T)).toEqual([0, 5]);
    });

    it('does not refresh a gauge: one only peeked at still expires', async () => {
      const { cache } = await handles.fresh();
      await cache.consume([gauge('g', 2, 400)], T);
      await sleep(250);
      expect(await cache.peek([gauge('g')], T)).toEqual([2]);
      await sleep(300);
      expect(await cache.peek([gauge('g')], T)).toEqual([0]);
    });

    it('reads a key listed twice twice, and keeps plain values out of bucket counts', async () => {
      const { cache } = await handles.fresh();
      await cache.consume([perMinute('d', 2), perMinute('d', 3)], T);
      expect(await cache.peek([perMinute('d'), perMinute('e'), perMinute('d')], T)).toEqual([5, 0, 5]);
      await cache.set('d', 'plain');
      await cache.incrBy('e', 40);
      expect(await cache.peek([perMinute('d'), perMinute('e')], T)).toEqual([5, 0]);
    });

    it('rejects invalid arguments, and rejects with CacheUnavailableError once closed', async () => {
      const { cache } = await handles.fresh();
      await expect(cache.peek([{ key: 'k', windowMs: 0 }], T)).rejects.toThrow(RangeError);
      await expect(cache.peek([perMinute('k')], -1)).rejects.toThrow(RangeError);
      await cache.close();
      await expect(cache.peek([perMinute('k')], T)).rejects.toBeInstanceOf(CacheUnavailableError);
    });
  });
}
