import { describe, expect, it, vi } from 'vitest';
import { MemoryCacheBackend } from './memory-cache';

describe('MemoryCacheBackend', () => {
  it('expires keys on read and in the sweep, by its clock', async () => {
    let now = 1_000;
    const cache = new MemoryCacheBackend({ now: () => now, sweepIntervalMs: 0 });
    await cache.set('a', '1', { ttlMs: 100 });
    await cache.set('b', '2', { ttlMs: 100 });
    await cache.set('c', '3');
    await cache.incrBy('n', 1, { ttlMs: 50 });
    now += 99;
    expect(await cache.get('a')).toBe('1');
    now += 1;
    expect(await cache.get('a')).toBeNull();
    expect(cache.size).toBe(3);
    expect(cache.sweep()).toBe(2);
    expect(cache.size).toBe(1);
    expect(await cache.get('c')).toBe('3');
    await cache.close();
  });

  it('sweeps on a timer that does not keep the process alive', async () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const cache = new MemoryCacheBackend({ now: () => now, sweepIntervalMs: 1000 });
      const timer = (cache as unknown as { timer: { hasRef(): boolean } }).timer;
      expect(timer.hasRef()).toBe(false);
      await cache.set('a', '1', { ttlMs: 10 });
      now = 20;
      vi.advanceTimersByTime(1000);
      expect(cache.size).toBe(0);
      await cache.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts gauges and windows in the entries the sweep also collects', async () => {
    let now = 0;
    const cache = new MemoryCacheBackend({ now: () => now, sweepIntervalMs: 0 });
    await cache.consume([{ key: 'r', limit: 5, windowMs: 1000, cost: 1 }], 400);
    await cache.consume([{ kind: 'gauge', key: 'g', limit: 5, ttlMs: 5000, cost: 1 }], 400);
    // The window key lives until its window ends (600 ms after 400), the gauge for its TTL.
    now = 600;
    expect(cache.sweep()).toBe(1);
    now = 5000;
    expect(cache.sweep()).toBe(1);
    await cache.close();
  });
});
