/**
 * The knobs of the credential health book and their defaults. Validated once at construction so a
 * bad value fails at startup, not as a wedged credential at 3 a.m.
 */

export interface BreakerPolicy {
  /** Consecutive transient failures that open the breaker. */
  consecutiveFailures: number;
  /** The sliding window the error rate is measured over. */
  windowMs: number;
  /** Below this many requests in the window the error rate is not trusted. */
  minRequestsInWindow: number;
  /** Failure share (0..1] at or above which the breaker opens. */
  errorRate: number;
  /** Cooldown of the first opening; doubled on each failed probe. */
  baseCooldownMs: number;
  /** Cap of the doubled cooldown. */
  maxCooldownMs: number;
}

export interface HealthPolicy {
  /** Cooldown after a 429 without a readable Retry-After. */
  rateLimitCooldownMs: number;
  /** Cap on an upstream's Retry-After, so one odd header cannot bench a credential for days. */
  maxRateLimitCooldownMs: number;
  /** Cooldown after 401/403: long, the secret is probably revoked. */
  authDeadCooldownMs: number;
  /** A half-open probe that has not reported by then is considered abandoned. */
  probeTimeoutMs: number;
  /** Entries not seen for this long, with nothing pending, are forgotten. */
  idleTtlMs: number;
  /** Hard cap on tracked (credential x model) entries; the least recently seen go first. */
  maxEntries: number;
  breaker: BreakerPolicy;
}

export type HealthPolicyInput = Partial<Omit<HealthPolicy, 'breaker'>> & { breaker?: Partial<BreakerPolicy> };

export const DEFAULT_HEALTH_POLICY: Readonly<HealthPolicy> = Object.freeze({
  rateLimitCooldownMs: 30_000,
  maxRateLimitCooldownMs: 3_600_000,
  authDeadCooldownMs: 600_000,
  probeTimeoutMs: 60_000,
  idleTtlMs: 3_600_000,
  maxEntries: 10_000,
  breaker: Object.freeze({
    consecutiveFailures: 3,
    windowMs: 60_000,
    minRequestsInWindow: 10,
    errorRate: 0.5,
    baseCooldownMs: 5_000,
    maxCooldownMs: 300_000,
  }),
});

/** Merges `input` over the defaults; throws RangeError naming the first bad field. */
export function resolveHealthPolicy(input: HealthPolicyInput = {}): HealthPolicy {
  const policy: HealthPolicy = {
    ...DEFAULT_HEALTH_POLICY,
    ...input,
    breaker: { ...DEFAULT_HEALTH_POLICY.breaker, ...input.breaker },
  };
  const { breaker } = policy;
  check('rateLimitCooldownMs', policy.rateLimitCooldownMs, 0);
  check('maxRateLimitCooldownMs', policy.maxRateLimitCooldownMs, 0);
  check('authDeadCooldownMs', policy.authDeadCooldownMs, 0);
  check('probeTimeoutMs', policy.probeTimeoutMs, 1);
  check('idleTtlMs', policy.idleTtlMs, 1);
  check('maxEntries', policy.maxEntries, 1, true);
  check('breaker.consecutiveFailures', breaker.consecutiveFailures, 1, true);
  check('breaker.windowMs', breaker.windowMs, 1);
  check('breaker.minRequestsInWindow', breaker.minRequestsInWindow, 1, true);
  check('breaker.baseCooldownMs', breaker.baseCooldownMs, 0);
  check('breaker.maxCooldownMs', breaker.maxCooldownMs, breaker.baseCooldownMs);
  if (!(breaker.errorRate > 0 && breaker.errorRate <= 1)) {
    throw new RangeError(`health policy: breaker.errorRate must be in (0, 1], got ${breaker.errorRate}`);
  }
  return policy;
}

function check(name: string, value: number, min: number, integer = false): void {
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    const what = integer ? 'an integer' : 'a finite number';
    throw new RangeError(`health policy: ${name} must be ${what} >= ${min}, got ${value}`);
  }
}
