/**
 * Reservations of an instance that died without settling them are given back by the others once
 * its heartbeat has expired; settled ones and those of live or cleanly stopped instances are not.
 * Two "instances" share one memory cache backend with a clock the test moves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WindowBucket } from '../../control-plane/cache-port';
import type { Logger } from '../../core/logger';
import { silentLogger } from '../../core/logger';
import { MemoryCacheBackend } from '../../store/cache/memory/memory-cache';
import { DEFAULT_HOLD_BEAT_MS, MISSED_BEATS, QUOTA_HOLDERS_KEY, QuotaHolds } from './quota-holds';

const ALIVE_TTL_MS = MISSED_BEATS * DEFAULT_HOLD_BEAT_MS;

const START = Date.parse('2026-11-25T10:00:00.000Z');
const TOTAL: WindowBucket = {
  key: 'quota:q1:total',
  limit: 1_000_000,
  windowMs: 36_500 * 86_400_000,
  cost: 0,
};
const DAILY: WindowBucket = { key: 'quota:q1:daily', limit: 1_000_000, windowMs: 86_400_000, cost: 0 };

let clock = START;
const cache = new MemoryCacheBackend({ now: () => clock, sweepIntervalMs: 0 });
const warnings: string[] = [];
const logger: Logger = { ...silentLogger, warn: (_fields, message) => warnings.push(message) };
const instance = (instanceId: string) => new QuotaHolds({ cache, instanceId, logger, now: () => clock });

/** Reserves like quota admission does: consume, then journal the hold. */
async function reserve(holds: QuotaHolds, microUsd: number): Promise<() => Promise<void>> {
  const buckets = [TOTAL, DAILY].map((bucket) => ({ ...bucket, cost: microUsd }));
  expect((await cache.consume(buckets, clock)).allowed).toBe(true);
  const reservedAt = clock;
  const forget = holds.hold({ buckets, reservedAt, microUsd });
  // Settling: forget, then replace the reservation with an actual cost of 1.
  return async () => {
    forget();
    await cache.release(
      buckets.map((b) => ({ ...b, cost: microUsd - 1 })),
      reservedAt,
    );
  };
}

const spent = async (): Promise<number[]> => cache.peek([TOTAL, DAILY], clock);

afterEach(async () => {
  for (const key of [QUOTA_HOLDERS_KEY, 'lease:quota-holders']) await cache.delete(key);
  await cache.release(
    [TOTAL, DAILY].map((b) => ({ ...b, cost: 10_000_000 })),
    clock,
  );
  warnings.length = 0;
  clock = START;
});

describe('quota holds', () => {
  it("gives back a dead instance's reservations once its heartbeat expired, and only those", async () => {
    const [a, b] = [instance('a'), instance('b')];
    await Promise.all([a.beat(), b.beat()]);
    const settleSettled = await reserve(a, 400);
    await reserve(a, 300); // in flight when `a` dies
    await settleSettled();
    await reserve(b, 50); // b's own, in flight: never touched
    await a.beat(); // a's last beat
    expect(await spent()).toEqual([351, 351]);

    // a dies (no more beats). Within the heartbeat's lifetime b leaves a's reservations alone.
    clock += ALIVE_TTL_MS - 1000;
    await b.beat();
    expect(await spent()).toEqual([351, 351]);

    clock += 2000;
    await b.beat();
    expect(await spent()).toEqual([51, 51]);
    expect(JSON.parse((await cache.get(QUOTA_HOLDERS_KEY)) ?? '[]')).toEqual(['b']);
    expect(warnings).toEqual([
      'quotas: gave back the reservations of an instance that stopped without settling them',
    ]);
    // Once only.
    clock += 10_000;
    await b.beat();
    expect(await spent()).toEqual([51, 51]);
  });

  it('lists itself again after the cache lost the holders list, so a later crash is still handled', async () => {
    const [a, b] = [instance('a'), instance('b')];
    await Promise.all([a.beat(), b.beat()]);
    await cache.delete(QUOTA_HOLDERS_KEY); // a flushed cache
    await Promise.all([a.beat(), b.beat()]);
    expect(JSON.parse((await cache.get(QUOTA_HOLDERS_KEY)) ?? '[]').sort()).toEqual(['a', 'b']);
    await reserve(a, 500);
    await a.beat();
    clock += ALIVE_TTL_MS + 1000;
    await b.beat();
    expect(await spent()).toEqual([0, 0]);
  });

  it("gives a dead holder's reservations back once, however many instances notice at the same time", async () => {
    const [a, b, c] = [instance('a'), instance('b'), instance('c')];
    await Promise.all([a.beat(), b.beat(), c.beat()]);
    for (let i = 0; i < 5; i++) await reserve(a, 100);
    await reserve(b, 40);
    await a.beat();
    clock += ALIVE_TTL_MS + 1000;
    await Promise.all([b.beat(), c.beat()]);
    expect(await spent()).toEqual([40, 40]);
    expect(warnings).toHaveLength(1);
  });

  it('leaves nothing to give back after a clean stop', async () => {
    const [a, b] = [instance('a'), instance('b')];
    await Promise.all([a.beat(), b.beat()]);
    const settle = await reserve(a, 500);
    await a.beat();
    await settle();
    await a.stop();
    expect(JSON.parse((await cache.get(QUOTA_HOLDERS_KEY)) ?? '[]')).toEqual(['b']);
    clock += ALIVE_TTL_MS + 1000;
    await b.beat();
    expect(await spent()).toEqual([1, 1]);
    expect(warnings).toEqual([]);
  });

  it('gives back into the windows the reservations were taken in', async () => {
    const [a, b] = [instance('a'), instance('b')];
    await Promise.all([a.beat(), b.beat()]);
    clock = START + 86_400_000 - 5000; // the daily window's last seconds
    await reserve(a, 700);
    await a.beat();
    clock += ALIVE_TTL_MS + 1000; // a new day has begun: yesterday's window is gone
    await reserve(b, 20);
    await b.beat();
    expect(await spent()).toEqual([20, 20]);
  });
});
