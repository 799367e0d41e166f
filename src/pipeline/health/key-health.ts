/**
 * The health of one (credential x model) key and its transitions. Two independent gates must both
 * be open for a request to go out: a cooldown (429 or auth-dead), and the circuit breaker fed by
 * transient failures. Half-open is not stored: it is an open breaker whose cooldown has passed.
 */
import type { Outcome } from '../../channel/contract';
import { ErrorWindow } from './error-window';
import type { HealthPolicy } from './policy';
import type { BreakerState, HealthEntry, HealthState, ProbeTicket, Refusal } from './types';

export interface KeyHealth {
  readonly credentialId: string;
  readonly model: string;
  lastSeenAt: number;
  cooldown: { reason: 'rate-limited' | 'auth-dead'; until: number } | null;
  breakerOpen: boolean;
  openUntil: number;
  /** The cooldown applied at the last opening; 0 while closed. */
  breakerCooldownMs: number;
  consecutiveFailures: number;
  probe: ProbeTicket | null;
  readonly window: ErrorWindow;
}

export function newKeyHealth(
  credentialId: string,
  model: string,
  policy: HealthPolicy,
  now: number,
): KeyHealth {
  return {
    credentialId,
    model,
    lastSeenAt: now,
    cooldown: null,
    breakerOpen: false,
    openUntil: 0,
    breakerCooldownMs: 0,
    consecutiveFailures: 0,
    probe: null,
    window: new ErrorWindow(policy.breaker.windowMs),
  };
}

/** What admission would say now: a refusal, a probe slot, or a plain yes. */
export function assess(h: KeyHealth, now: number): Refusal | 'probe' | 'open-door' {
  let refusal: Refusal | null = null;
  const refuse = (reason: Refusal['reason'], until: number): void => {
    // Both gates must pass, so the later block is the binding one.
    if (refusal === null || until > refusal.retryAtMs) refusal = { allowed: false, reason, retryAtMs: until };
  };
  if (h.cooldown !== null && h.cooldown.until > now) refuse(h.cooldown.reason, h.cooldown.until);
  if (h.breakerOpen) {
    if (now < h.openUntil) refuse('circuit-open', h.openUntil);
    else if (h.probe !== null && h.probe.expiresAt > now) refuse('probing', h.probe.expiresAt);
  }
  if (refusal !== null) return refusal;
  return h.breakerOpen ? 'probe' : 'open-door';
}

/** What an outcome changed that other instances should hear about (health-events.ts). */
export type KeyChange = 'cooldown' | 'breaker-open' | null;

/**
 * Applies an outcome. Only the key's current probe ticket moves an open breaker. Returns whether
 * it started or extended a cooldown, or opened the breaker.
 */
export function applyOutcome(
  h: KeyHealth,
  outcome: Outcome,
  now: number,
  ticket: ProbeTicket | null,
  policy: HealthPolicy,
): KeyChange {
  const isProbe = ticket !== null && h.probe !== null && h.probe.id === ticket.id;
  if (isProbe) h.probe = null;
  switch (outcome.kind) {
    case 'permanent':
      // The client's own mistake says nothing about the credential.
      return null;
    case 'rate-limited': {
      const wait = outcome.retryAfterMs ?? policy.rateLimitCooldownMs;
      return coolDown(h, 'rate-limited', now + clamp(wait, 0, policy.maxRateLimitCooldownMs));
    }
    case 'auth-dead':
      return coolDown(h, 'auth-dead', now + policy.authDeadCooldownMs);
    case 'success':
      h.window.add(false, now);
      h.consecutiveFailures = 0;
      if (isProbe && h.breakerOpen) close(h);
      return null;
    case 'transient':
      h.window.add(true, now);
      h.consecutiveFailures++;
      if (h.breakerOpen) {
        // Late failures of requests admitted before the opening do not stack cooldowns.
        if (!isProbe) return null;
        open(h, now, Math.min(h.breakerCooldownMs * 2, policy.breaker.maxCooldownMs));
        return 'breaker-open';
      }
      if (!shouldTrip(h, now, policy)) return null;
      open(h, now, policy.breaker.baseCooldownMs);
      return 'breaker-open';
  }
}

/**
 * Opens the breaker until `until` with the given cooldown, unless it is already open for longer:
 * another instance's opening (health-events.ts). The cooldown in force keeps the larger value, so
 * a failed probe here still doubles from it.
 */
export function openFromElsewhere(h: KeyHealth, until: number, cooldownMs: number): void {
  if (h.breakerOpen && h.openUntil >= until) return;
  h.breakerOpen = true;
  h.openUntil = until;
  h.breakerCooldownMs = Math.max(h.breakerCooldownMs, cooldownMs);
}

/** Gives the probe slot back without an outcome (e.g. the client went away first). */
export function releaseProbe(h: KeyHealth, ticket: ProbeTicket): void {
  if (h.probe !== null && h.probe.id === ticket.id) h.probe = null;
}

/** Nothing pending: forgetting this key changes no admission decision. */
export function isQuiet(h: KeyHealth, now: number): boolean {
  return typeof assess(h, now) === 'string';
}

export function describe(h: KeyHealth, now: number): HealthEntry {
  const verdict = assess(h, now);
  const refusal = typeof verdict === 'string' ? null : verdict;
  const breaker: BreakerState = !h.breakerOpen ? 'closed' : now < h.openUntil ? 'open' : 'half-open';
  const stats = h.window.stats(now);
  return {
    credentialId: h.credentialId,
    model: h.model,
    state: stateOf(refusal, breaker),
    reason: refusal?.reason ?? null,
    until: refusal?.retryAtMs ?? null,
    breaker,
    consecutiveFailures: h.consecutiveFailures,
    window: { ...stats, errorRate: stats.requests === 0 ? 0 : stats.failures / stats.requests },
    breakerCooldownMs: h.breakerCooldownMs,
    probeInFlight: h.probe !== null && h.probe.expiresAt > now,
    lastSeenAt: h.lastSeenAt,
  };
}

function stateOf(refusal: Refusal | null, breaker: BreakerState): HealthState {
  if (refusal === null) return breaker === 'closed' ? 'healthy' : 'half-open';
  if (refusal.reason === 'rate-limited' || refusal.reason === 'auth-dead') return 'cooling';
  return refusal.reason === 'circuit-open' ? 'open' : 'half-open';
}

function shouldTrip(h: KeyHealth, now: number, policy: HealthPolicy): boolean {
  const { breaker } = policy;
  if (h.consecutiveFailures >= breaker.consecutiveFailures) return true;
  const { requests, failures } = h.window.stats(now);
  return requests >= breaker.minRequestsInWindow && failures / requests >= breaker.errorRate;
}

function open(h: KeyHealth, now: number, cooldownMs: number): void {
  h.breakerOpen = true;
  h.breakerCooldownMs = cooldownMs;
  h.openUntil = now + cooldownMs;
}

function close(h: KeyHealth): void {
  h.breakerOpen = false;
  h.breakerCooldownMs = 0;
  h.openUntil = 0;
  h.consecutiveFailures = 0;
  // Failures from before the outage must not trip the fresh breaker again.
  h.window.clear();
}

/** Returns 'cooldown' when it started or extended the cooldown. */
export function coolDown(h: KeyHealth, reason: 'rate-limited' | 'auth-dead', until: number): KeyChange {
  // A late, shorter cooldown (a request that was already in flight) must not cut a longer one short.
  if (h.cooldown !== null && h.cooldown.until >= until) return null;
  h.cooldown = { reason, until };
  return 'cooldown';
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
