/**
 * The admission half of the cache conformance suite: consume() (all or nothing, exact under
 * concurrency, retry-after) and release() (slots, refunds, extra charges). Times are passed
 * explicitly, so window arithmetic is deterministic; real time matters only for gauge TTLs.
 */
import { describe, expect, it } from 'vitest';
import type { AdmissionBucket, CacheBackend } from '../../src/control-plane/cache-port';
import { sleep } from './conformance';

type Handles = { fresh: () => Promise<{ cache: CacheBackend; peer: () => Promise<CacheBackend> }> };

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A time 15 s into a minute window (and well inside its day), so retry-after values are exact. */
const T = 20_000 * DAY + 7 * MINUTE + 15_000;

const rpm = (key: string, limit: number, cost = 1): AdmissionBucket => ({
  key,
  limit,
  windowMs: MINUTE,
  cost,
});

export function describeAdmissionConformance(handles: Handles): void {
  describe('consume', () => {
    it('admits up to the limit and reports what remains', async () => {
      const { cache } = await handles.fresh();
      expect(await cache.consume([rpm('k', 3)], T)).toEqual({ allowed: true, remaining: [2] });
      expect(await cache.consume([rpm('k', 3, 2)], T)).toEqual({ allowed: true, remaining: [0] });
      expect(await cache.consume([rpm('k', 3)], T)).toEqual({
        allowed: false,
        bucket: 0,
        key: 'k',
        retryAfterMs: 45_000,
        tooLarge: false,
      });
      expect(await cache.consume([rpm('k', 3, 0)], T)).toEqual({ allowed: true, remaining: [0] });
      expect(await cache.consume([], T)).toEqual({ allowed: true, remaining: [] });
    });

    it('is exact under 500 concurrent consumes from two handles (limit 100)', async () => {
      const { cache, peer } = await handles.fresh();
      const other = await peer();
      const results = await Promise.all(
        Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? cache : other).consume([rpm('hot', 100)], T)),
      );
      const allowed = results.filter((r) => r.allowed);
      expect(allowed).toHaveLength(100);
      const remaining = allowed.map((r) => (r.allowed ? r.remaining[0] : -1)).sort((a, b) => a! - b!);
      expect(remaining).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(results.filter((r) => !r.allowed).every((r) => !r.allowed && r.retryAfterMs === 45_000)).toBe(
        true,
      );
    });

    it('is all or nothing across buckets, also under concurrency', async () => {
      const { cache, peer } = await handles.fresh();
      const pair = (cost: number): AdmissionBucket[] => [rpm('org', 10, cost), rpm('key', 5, cost)];
      expect(await cache.consume(pair(3), T)).toEqual({ allowed: true, remaining: [7, 2] });
      expect(await cache.consume(pair(3), T)).toMatchObject({ allowed: false, bucket: 1, key: 'key' });
      // The refusal consumed nothing from 'org': 7 units are still there.
      expect(await cache.consume([rpm('org', 10, 7)], T)).toEqual({ allowed: true, remaining: [0] });

      const other = await peer();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 === 0 ? cache : other).consume([rpm('a', 30), rpm('b', 1000), rpm(`c${i % 4}`, 5)], T),
        ),
      );
      // 'c0'..'c3' admit 5 each (20 in all), below 'a''s 30: every admission took one unit of each.
      expect(results.filter((r) => r.allowed)).toHaveLength(20);
      expect(await cache.consume([rpm('a', 30, 10)], T)).toEqual({ allowed: true, remaining: [0] });
      expect(await cache.consume([rpm('b', 1000, 980)], T)).toEqual({ allowed: true, remaining: [0] });
    });

    it('starts a new window at the window boundary', async () => {
      const { cache } = await handles.fresh();
      expect((await cache.consume([rpm('w', 1)], T)).allowed).toBe(true);
      expect((await cache.consume([rpm('w', 1)], T + 44_999)).allowed).toBe(false);
      expect(await cache.consume([rpm('w', 1)], T + 45_000)).toEqual({ allowed: true, remaining: [0] });
    });

    it('reports the refusing bucket with the longest wait, and a cost above the limit first', async () => {
      const { cache } = await handles.fresh();
      const perDay: AdmissionBucket = { key: 'rpd', limit: 1, windowMs: DAY, cost: 1 };
      expect((await cache.consume([rpm('rpm', 1), perDay], T)).allowed).toBe(true);
      const dayLeft = DAY - (T % DAY);
      expect(await cache.consume([rpm('rpm', 1), perDay], T)).toEqual({
        allowed: false,
        bucket: 1,
        key: 'rpd',
        retryAfterMs: dayLeft,
        tooLarge: false,
      });
      expect(await cache.consume([rpm('rpm', 1), perDay, rpm('tpm', 100, 101)], T)).toEqual({
        allowed: false,
        bucket: 2,
        key: 'tpm',
        retryAfterMs: 45_000,
        tooLarge: true,
      });
    });

    it('counts both costs when a key is listed twice', async () => {
      const { cache } = await handles.fresh();
      expect(await cache.consume([rpm('dup', 5, 3), rpm('dup', 5, 3)], T)).toMatchObject({
        allowed: false,
        bucket: 1,
      });
      expect(await cache.consume([rpm('dup', 5, 2), rpm('dup', 5, 3)], T)).toEqual({
        allowed: true,
        remaining: [3, 0],
      });
    });

    it('keeps separate counts per window length and per kind', async () => {
      const { cache } = await handles.fresh();
      expect((await cache.consume([rpm('x', 1)], T)).allowed).toBe(true);
      expect((await cache.consume([{ key: 'x', limit: 1, windowMs: DAY, cost: 1 }], T)).allowed).toBe(true);
      expect(
        (await cache.consume([{ kind: 'gauge', key: 'x', limit: 1, ttlMs: MINUTE, cost: 1 }], T)).allowed,
      ).toBe(true);
      await cache.set('x', 'plain');
      expect(await cache.consume([rpm('x', 2)], T)).toEqual({ allowed: true, remaining: [0] });
      expect(await cache.get('x')).toBe('plain');
    });

    it('rejects invalid buckets', async () => {
      const { cache } = await handles.fresh();
      await expect(cache.consume([rpm('k', 10, -1)], T)).rejects.toThrow(RangeError);
      await expect(cache.consume([rpm('k', 10, 1.5)], T)).rejects.toThrow(RangeError);
      await expect(cache.consume([{ key: 'k', limit: 10, windowMs: 0, cost: 1 }], T)).rejects.toThrow(
        RangeError,
      );
      await expect(cache.consume([rpm('k', -1)], T)).rejects.toThrow(RangeError);
    });
  });

  describe('gauges and release', () => {
    const slot = (limit: number, ttlMs = MINUTE): AdmissionBucket => ({
      kind: 'gauge',
      key: 'slots',
      limit,
      ttlMs,
      cost: 1,
    });

    it('holds concurrency slots until released, across windows', async () => {
      const { cache, peer } = await handles.fresh();
      const other = await peer();
      const results = await Promise.all(Array.from({ length: 20 }, () => other.consume([slot(3)], T)));
      expect(results.filter((r) => r.allowed)).toHaveLength(3);
      expect(await cache.consume([slot(3)], T + DAY)).toEqual({
        allowed: false,
        bucket: 0,
        key: 'slots',
        retryAfterMs: 0,
        tooLarge: false,
      });
      await cache.release([slot(3)], T);
      expect(await cache.consume([slot(3)], T + DAY)).toEqual({ allowed: true, remaining: [0] });
      // Releasing more than is held stops at zero.
      await cache.release([{ ...slot(3), cost: 10 }], T);
      const again = await Promise.all(Array.from({ length: 5 }, () => cache.consume([slot(3)], T)));
      expect(again.filter((r) => r.allowed)).toHaveLength(3);
    });

    it('a gauge resets after its TTL without activity (holders that died)', async () => {
      const { cache } = await handles.fresh();
      expect((await cache.consume([slot(1, 300)], T)).allowed).toBe(true);
      expect((await cache.consume([slot(1, 300)], T)).allowed).toBe(false);
      await sleep(600);
      expect((await cache.consume([slot(1, 300)], T)).allowed).toBe(true);
    });

    it('refunds into the window of the consumption, and charges extra with a negative cost', async () => {
      const { cache } = await handles.fresh();
      expect(await cache.consume([rpm('tpm', 1000, 800)], T)).toEqual({ allowed: true, remaining: [200] });
      await cache.release([rpm('tpm', 1000, 500)], T + 30_000);
      expect(await cache.consume([rpm('tpm', 1000, 0)], T)).toEqual({ allowed: true, remaining: [700] });
      await cache.release([rpm('tpm', 1000, -150)], T);
      expect(await cache.consume([rpm('tpm', 1000, 0)], T)).toEqual({ allowed: true, remaining: [550] });
      // A refund for an earlier window leaves the current one alone.
      await cache.release([rpm('tpm', 1000, 400)], T - MINUTE);
      expect(await cache.consume([rpm('tpm', 1000, 0)], T)).toEqual({ allowed: true, remaining: [550] });
      // An extra charge into a window nobody counted yet creates it.
      await cache.release([rpm('fresh', 10, -4)], T);
      expect(await cache.consume([rpm('fresh', 10, 0)], T)).toEqual({ allowed: true, remaining: [6] });
      await cache.release([rpm('tpm', 1000, 10_000)], T);
      expect(await cache.consume([rpm('tpm', 1000, 1000)], T)).toEqual({ allowed: true, remaining: [0] });
    });
  });
}
