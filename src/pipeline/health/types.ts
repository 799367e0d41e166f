/** The public shapes of the credential health book. */

/** Health is kept per credential and upstream model: a key may be throttled for one model only. */
export interface HealthKey {
  credentialId: string;
  model: string;
}

/** Why a request may not be sent on a key right now. */
export type RefusalReason = 'rate-limited' | 'auth-dead' | 'circuit-open' | 'probing';

export interface Refusal {
  allowed: false;
  reason: RefusalReason;
  /** When the key may admit again (ms since the epoch); for `probing`, when the probe expires. */
  retryAtMs: number;
}

/** Proof that a request is the half-open probe of a key; hand it back to record() or release(). */
export interface ProbeTicket {
  readonly id: number;
  readonly expiresAt: number;
}

export type Admission = { allowed: true; probe: ProbeTicket | null } | Refusal;

export type HealthState = 'healthy' | 'cooling' | 'open' | 'half-open';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** One tracked key as an operator sees it (admin API). */
export interface HealthEntry {
  credentialId: string;
  model: string;
  /** `cooling`: rate-limited or auth-dead; `open`/`half-open`: the breaker decides. */
  state: HealthState;
  /** Why requests are refused right now; null when they are admitted. */
  reason: RefusalReason | null;
  /** When admission resumes (ms since the epoch); null when it is admitted now. */
  until: number | null;
  breaker: BreakerState;
  consecutiveFailures: number;
  window: { requests: number; failures: number; errorRate: number };
  /** The breaker cooldown in force (doubles on failed probes); 0 while closed. */
  breakerCooldownMs: number;
  probeInFlight: boolean;
  lastSeenAt: number;
}

/**
 * A change one instance's health book made that the other instances of the deployment apply to
 * theirs (health-events.ts carries it over the cache's pub/sub). Times are absolute (ms since the
 * epoch), so every instance waits until the same moment.
 */
export type HealthChange =
  | {
      kind: 'cooldown';
      credentialId: string;
      model: string;
      reason: 'rate-limited' | 'auth-dead';
      until: number;
    }
  | { kind: 'breaker-open'; credentialId: string; model: string; until: number; cooldownMs: number }
  /** An operator reset: these credentials (null: every one), for this model (null: every model). */
  | { kind: 'reset'; credentialIds: string[] | null; model: string | null };
