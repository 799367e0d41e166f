import { describe, expect, it } from 'vitest';
import { ErrorWindow } from './error-window';

describe('ErrorWindow', () => {
  it('counts requests and failures inside the window', () => {
    const window = new ErrorWindow(10_000);
    window.add(false, 0);
    window.add(true, 500);
    window.add(true, 9_000);
    expect(window.stats(9_500)).toEqual({ requests: 3, failures: 2 });
  });

  it('forgets buckets that slid out of the window', () => {
    const window = new ErrorWindow(10_000); // buckets of 1 s
    window.add(true, 0);
    window.add(false, 4_200);
    expect(window.stats(9_999)).toEqual({ requests: 2, failures: 1 });
    expect(window.stats(10_000)).toEqual({ requests: 1, failures: 0 });
    expect(window.stats(15_000)).toEqual({ requests: 0, failures: 0 });
  });

  it('keeps at most ten buckets whatever the traffic', () => {
    const window = new ErrorWindow(10_000);
    for (let t = 0; t < 100_000; t += 100) window.add(t % 200 === 0, t);
    const buckets = (window as unknown as { buckets: unknown[] }).buckets;
    expect(buckets.length).toBeLessThanOrEqual(10);
    expect(window.stats(99_900)).toEqual({ requests: 100, failures: 50 });
  });

  it('puts a sample from a clock that stepped back into the newest bucket', () => {
    const window = new ErrorWindow(10_000);
    window.add(false, 5_000);
    window.add(true, 3_000);
    expect(window.stats(5_000)).toEqual({ requests: 2, failures: 1 });
  });

  it('clears', () => {
    const window = new ErrorWindow(10_000);
    window.add(true, 1);
    window.clear();
    expect(window.stats(1)).toEqual({ requests: 0, failures: 0 });
  });
});
