/**
 * The credential health book: per (credential x upstream model) cooldowns and circuit breakers,
 * consulted by planning and fed by attempts. Pure logic: no timers, no I/O; every call gets the
 * time as `now` (ms since the epoch), so tests drive the clock and the edge runtime needs nothing.
 *
 * Memory stays bounded: healthy keys that were never recorded take no entry, entries idle for
 * `idleTtlMs` with nothing pending are swept lazily, and `maxEntries` caps the rest (LRU).
 *
 * Cooldowns, breaker openings and resets are reported to `onChange` listeners, which share them
 * with the deployment's other instances; what those report comes back through `apply`.
 */
import type { Outcome } from '../../channel/contract';
import {
  applyOutcome,
  assess,
  coolDown,
  describe,
  isQuiet,
  newKeyHealth,
  openFromElsewhere,
  releaseProbe,
  type KeyHealth,
} from './key-health';
import { resolveHealthPolicy, type HealthPolicy, type HealthPolicyInput } from './policy';
import type { Admission, HealthChange, HealthEntry, HealthKey, ProbeTicket, Refusal } from './types';

/** Idle sweeps run at most this often (and always before list()), so admit() stays O(1). */
const SWEEP_EVERY_MS = 60_000;

/**
 * A 429 burst extends a cooldown by a few ms per answer; only an extension by at least this much
 * is worth telling the other instances about.
 */
const NEWS_THRESHOLD_MS = 1_000;

export type HealthListener = (change: HealthChange) => void;

export class HealthBook {
  readonly policy: HealthPolicy;
  /** Map order is least recently seen first: touching a key re-inserts it. */
  private readonly entries = new Map<string, KeyHealth>();
  private nextProbeId = 1;
  private lastSweepAt = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<HealthListener>();

  constructor(policy?: HealthPolicyInput) {
    this.policy = resolveHealthPolicy(policy);
  }

  /** Would a request be admitted now? No side effect: planning uses it to order and skip. */
  check(key: HealthKey, now: number): Refusal | null {
    const h = this.entries.get(mapKey(key));
    if (h === undefined) return null;
    const verdict = assess(h, now);
    return typeof verdict === 'string' ? null : verdict;
  }

  /**
   * May a request be sent now? When the breaker is half-open the first caller gets the probe
   * ticket and everyone else is refused with `probing` until it reports or expires.
   */
  admit(key: HealthKey, now: number): Admission {
    this.sweepIfDue(now);
    const h = this.touch(key, now, false);
    if (h === undefined) return { allowed: true, probe: null };
    const verdict = assess(h, now);
    if (verdict === 'open-door') return { allowed: true, probe: null };
    if (verdict === 'probe') {
      const ticket: ProbeTicket = { id: this.nextProbeId++, expiresAt: now + this.policy.probeTimeoutMs };
      h.probe = ticket;
      return { allowed: true, probe: ticket };
    }
    return verdict;
  }

  /**
   * Records the outcome of an admitted request. Transport failures (connect errors, timeouts)
   * are recorded as `transient`; `permanent` outcomes leave health alone (a probe ticket is still
   * handed back). Pass the admission's probe ticket, or null.
   */
  record(key: HealthKey, outcome: Outcome, now: number, probe: ProbeTicket | null = null): void {
    this.sweepIfDue(now);
    // A permanent answer on a key we do not track yet is nothing worth remembering.
    const create = outcome.kind !== 'permanent';
    const h = this.touch(key, now, create);
    if (h === undefined) return;
    const before = h.cooldown;
    const change = applyOutcome(h, outcome, now, probe, this.policy);
    const { credentialId, model } = h;
    if (change === 'breaker-open') {
      this.emit({
        kind: 'breaker-open',
        credentialId,
        model,
        until: h.openUntil,
        cooldownMs: h.breakerCooldownMs,
      });
    } else if (change === 'cooldown' && h.cooldown !== null) {
      const { reason, until } = h.cooldown;
      const news =
        before === null ||
        before.until <= now ||
        before.reason !== reason ||
        until - before.until >= NEWS_THRESHOLD_MS;
      if (news) this.emit({ kind: 'cooldown', credentialId, model, reason, until });
    }
  }

  /**
   * Applies a change another instance reported: a cooldown until the same moment (never shorter
   * than one already running), a breaker opened until the same moment, or an operator reset.
   * Listeners do not hear it again. Times beyond the policy's caps are cut to them.
   */
  apply(change: HealthChange, now: number): void {
    if (change.kind === 'reset') {
      this.forget(change.credentialIds === null ? null : new Set(change.credentialIds), change.model);
      return;
    }
    this.sweepIfDue(now);
    const key = { credentialId: change.credentialId, model: change.model };
    if (change.kind === 'cooldown') {
      const cap =
        change.reason === 'auth-dead' ? this.policy.authDeadCooldownMs : this.policy.maxRateLimitCooldownMs;
      if (change.until <= now) return;
      const h = this.touch(key, now, true);
      if (h !== undefined) coolDown(h, change.reason, Math.min(change.until, now + cap));
      return;
    }
    if (change.until <= now) return;
    const h = this.touch(key, now, true);
    const cooldownMs = Math.min(change.cooldownMs, this.policy.breaker.maxCooldownMs);
    if (h !== undefined) openFromElsewhere(h, Math.min(change.until, now + cooldownMs), cooldownMs);
  }

  /** Calls `listener` with each change this book makes itself; returns a function that stops it. */
  onChange(listener: HealthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands a probe ticket back without an outcome (the client went away before the answer). */
  release(key: HealthKey, probe: ProbeTicket): void {
    const h = this.entries.get(mapKey(key));
    if (h !== undefined) releaseProbe(h, probe);
  }

  /**
   * Earliest time any of the keys admits a request: `now` if one does already. For a key whose
   * probe is in flight this is the probe's expiry, the latest moment it can be decided. Meant for
   * the Retry-After of a "no available candidate" answer.
   */
  availableAt(keys: Iterable<HealthKey>, now: number): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const key of keys) {
      const refusal = this.check(key, now);
      if (refusal === null) return now;
      earliest = Math.min(earliest, refusal.retryAtMs);
    }
    return earliest === Number.POSITIVE_INFINITY ? now : earliest;
  }

  /** Every tracked key, sorted by credential then model, for the admin API. */
  list(now: number): HealthEntry[] {
    this.sweep(now);
    return [...this.entries.values()]
      .map((h) => describe(h, now))
      .sort((a, b) => compare(a.credentialId, b.credentialId) || compare(a.model, b.model));
  }

  /** Forgets matching keys (all without a filter): they start healthy. Returns how many. */
  reset(filter: { credentialId?: string; model?: string } = {}): number {
    return this.resetCredentials(
      filter.credentialId === undefined ? null : [filter.credentialId],
      filter.model ?? null,
    );
  }

  /**
   * Forgets the keys of these credentials (null: every credential), for one model or all (null).
   * The operator's reset: listeners hear it even when nothing matched here, since other instances
   * may hold entries this one does not.
   */
  resetCredentials(credentialIds: readonly string[] | null, model: string | null): number {
    const count = this.forget(credentialIds === null ? null : new Set(credentialIds), model);
    this.emit({ kind: 'reset', credentialIds: credentialIds === null ? null : [...credentialIds], model });
    return count;
  }

  /** How many keys are tracked (for metrics and tests). */
  get size(): number {
    return this.entries.size;
  }

  private forget(credentialIds: ReadonlySet<string> | null, model: string | null): number {
    let count = 0;
    for (const [k, h] of this.entries) {
      if (credentialIds !== null && !credentialIds.has(h.credentialId)) continue;
      if (model !== null && h.model !== model) continue;
      this.entries.delete(k);
      count++;
    }
    return count;
  }

  private emit(change: HealthChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private touch(key: HealthKey, now: number, create: boolean): KeyHealth | undefined {
    const k = mapKey(key);
    let h = this.entries.get(k);
    if (h !== undefined) {
      this.entries.delete(k);
    } else if (create) {
      h = newKeyHealth(key.credentialId, key.model, this.policy, now);
    } else {
      return undefined;
    }
    h.lastSeenAt = Math.max(h.lastSeenAt, now);
    this.entries.set(k, h);
    if (this.entries.size > this.policy.maxEntries) this.evictOne(now, k);
    return h;
  }

  /** Over the cap: the least recently seen quiet key goes, else the least recently seen at all. */
  private evictOne(now: number, keep: string): void {
    let fallback: string | undefined;
    for (const [k, h] of this.entries) {
      if (k === keep) continue;
      if (isQuiet(h, now)) {
        this.entries.delete(k);
        return;
      }
      fallback ??= k;
    }
    if (fallback !== undefined) this.entries.delete(fallback);
  }

  private sweepIfDue(now: number): void {
    if (now - this.lastSweepAt >= SWEEP_EVERY_MS) this.sweep(now);
  }

  private sweep(now: number): void {
    this.lastSweepAt = now;
    const idleBefore = now - this.policy.idleTtlMs;
    for (const [k, h] of this.entries) {
      // LRU order: the first recently seen entry ends the idle ones.
      if (h.lastSeenAt > idleBefore) break;
      if (isQuiet(h, now)) this.entries.delete(k);
    }
  }
}

function mapKey(key: HealthKey): string {
  // NUL cannot occur in ids or model names that reach here, so the pair stays unambiguous.
  return `${key.credentialId}\u0000${key.model}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
