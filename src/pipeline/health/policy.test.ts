import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_POLICY, resolveHealthPolicy } from './policy';

describe('resolveHealthPolicy', () => {
  it('fills every field from the defaults', () => {
    expect(resolveHealthPolicy()).toEqual({
      rateLimitCooldownMs: 30_000,
      maxRateLimitCooldownMs: 3_600_000,
      authDeadCooldownMs: 600_000,
      probeTimeoutMs: 60_000,
      idleTtlMs: 3_600_000,
      maxEntries: 10_000,
      breaker: {
        consecutiveFailures: 3,
        windowMs: 60_000,
        minRequestsInWindow: 10,
        errorRate: 0.5,
        baseCooldownMs: 5_000,
        maxCooldownMs: 300_000,
      },
    });
  });

  it('merges breaker fields one by one and leaves the defaults alone', () => {
    const policy = resolveHealthPolicy({ authDeadCooldownMs: 1, breaker: { errorRate: 0.9 } });
    expect(policy.authDeadCooldownMs).toBe(1);
    expect(policy.breaker.errorRate).toBe(0.9);
    expect(policy.breaker.consecutiveFailures).toBe(3);
    expect(DEFAULT_HEALTH_POLICY.breaker.errorRate).toBe(0.5);
  });

  it.each([
    [{ rateLimitCooldownMs: -1 }, 'rateLimitCooldownMs'],
    [{ probeTimeoutMs: 0 }, 'probeTimeoutMs'],
    [{ maxEntries: 1.5 }, 'maxEntries'],
    [{ breaker: { consecutiveFailures: 0 } }, 'breaker.consecutiveFailures'],
    [{ breaker: { errorRate: 0 } }, 'breaker.errorRate'],
    [{ breaker: { errorRate: 1.5 } }, 'breaker.errorRate'],
    [{ breaker: { windowMs: Number.NaN } }, 'breaker.windowMs'],
    [{ breaker: { baseCooldownMs: 10_000, maxCooldownMs: 5_000 } }, 'breaker.maxCooldownMs'],
  ])('rejects %j', (input, field) => {
    expect(() => resolveHealthPolicy(input)).toThrow(RangeError);
    expect(() => resolveHealthPolicy(input)).toThrow(field);
  });
});
