import { describe, expect, it } from 'vitest';
import { planConsume, planRelease, refusal } from './bucket-plan';

describe('bucket plan', () => {
  it('places window buckets in epoch-aligned windows and gauges in one key', () => {
    const [minute, gauge] = planConsume(
      [
        { key: 'org:1:rpm', limit: 60, windowMs: 60_000, cost: 1 },
        { kind: 'gauge', key: 'key:9:concurrent', limit: 4, ttlMs: 300_000, cost: 1 },
      ],
      3 * 60_000 + 20_000,
    );
    expect(minute).toEqual({
      name: 'org:1:rpm',
      key: 'rl:org:1:rpm:60000:3',
      limit: 60,
      cost: 1,
      ttlMs: 40_000,
      gauge: false,
      retryAfterMs: 40_000,
    });
    expect(gauge).toMatchObject({
      key: 'gauge:key:9:concurrent',
      ttlMs: 300_000,
      gauge: true,
      retryAfterMs: 0,
    });
  });

  it('lets release take negative costs and ignore limits, but not consume', () => {
    expect(planRelease([{ key: 'k', windowMs: 1000, cost: -5 }], 2500)[0]).toMatchObject({
      key: 'rl:k:1000:2',
      cost: -5,
    });
    expect(() => planConsume([{ key: 'k', limit: 1, windowMs: 1000, cost: -5 }], 0)).toThrow(RangeError);
    expect(() => planConsume([{ key: 'k', limit: 1, windowMs: 1000, cost: 1 }], -1)).toThrow(RangeError);
  });

  it('reports a bucket that can never fit first, then the longest wait, then the lowest index', () => {
    const planned = planConsume(
      [
        { key: 'a', limit: 10, windowMs: 60_000, cost: 1 },
        { key: 'b', limit: 10, windowMs: 86_400_000, cost: 1 },
        { key: 'c', limit: 10, windowMs: 86_400_000, cost: 1 },
        { key: 'd', limit: 1, windowMs: 1000, cost: 2 },
      ],
      0,
    );
    expect(refusal(planned, [0, 1, 2])).toMatchObject({ bucket: 1, key: 'b', retryAfterMs: 86_400_000 });
    expect(refusal(planned, [0, 1, 3])).toMatchObject({ bucket: 3, key: 'd', tooLarge: true });
  });
});
