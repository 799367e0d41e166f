/**
 * Rebuilds quota counters from the usage ledger when the cache backend has lost them, and seeds a
 * newly set budget with the spend already in its window (decision 0013, docs/tenancy.md "Quotas").
 *
 * Markers in the cache say what is seeded: `quota-seed:epoch` that this cache's counters were
 * rebuilt, and `quota-seed:<quotaId>:<window>` per budget. Each check reads the epoch marker (one
 * `get`); when it is missing (a fresh memory backend, a flushed or failed-over Redis) every budget
 * is due, otherwise only the budgets this instance has not yet seen marked (new quotas, new
 * windows). Due budgets are seeded under a lease, so one instance queries the ledger at a time:
 * each counter is raised to the ledger's spend in its current window — never lowered, never added
 * to — so a second seed of the same budget changes nothing.
 */
import type { CacheBackend, ReleaseBucket } from '../../control-plane/cache-port';
import type { LedgerSpendReader } from '../../control-plane/quotas/ledger-spend';
import type { QuotaBook } from '../../control-plane/quotas/quota-book';
import type { Logger } from '../../core/logger';
import { ledgerWindowSpend, seedTargets, type SeedTarget } from './ledger-window-spend';

export const DEFAULT_QUOTA_SEED_INTERVAL_MS = 5_000;
/** How often every budget is checked against the ledger even though no marker is missing. */
export const DEFAULT_QUOTA_RECONCILE_INTERVAL_MS = 600_000;
export const QUOTA_SEED_EPOCH_KEY = 'quota-seed:epoch';
/** Set (with a TTL of the reconcile interval) by the instance that last reconciled every budget. */
export const QUOTA_RECONCILED_KEY = 'quota-seed:reconciled';
const SEED_LEASE = 'quota-seed';
/** Long enough for the ledger queries of a large installation; renewed before counters change. */
const SEED_LEASE_TTL_MS = 120_000;
/** Cache calls per round of parallel marker reads, and buckets per peek or release. */
const CHUNK = 200;
/** How many raised counters a log line names. */
const LOGGED = 20;

export const seedMarkerKey = (target: SeedTarget): string => `quota-seed:${target.quota.id}:${target.window}`;

export interface QuotaSeederDeps {
  cache: CacheBackend;
  ledger: LedgerSpendReader;
  /** The current snapshot's quotas. */
  quotas: () => QuotaBook;
  logger: Logger;
  now: () => number;
  /**
   * Every budget is raised to the ledger at least this often (default 10 min), whatever the
   * markers say: a counter the cache evicted on its own (a Redis under a maxmemory policy other
   * than noeviction drops keys one by one) comes back without its marker going too.
   */
  reconcileIntervalMs?: number;
}

export interface SeedOutcome {
  /** Budgets checked against the ledger in this pass. */
  seeded: number;
  /** Micro-USD added to counters. */
  raisedMicroUsd: number;
  /** Another instance holds the seeding lease: nothing was done, the next check retries. */
  busy: boolean;
}

const NOTHING: SeedOutcome = { seeded: 0, raisedMicroUsd: 0, busy: false };

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}

export class QuotaSeeder {
  /** Marker keys known to be set in the cache's current epoch. */
  private readonly marked = new Set<string>();
  private running: Promise<SeedOutcome> | undefined;
  private queued: Promise<SeedOutcome> | undefined;
  private queuedMayReconcile = true;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** When this instance last saw every budget reconciled (by itself or another instance). */
  private reconciledAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: QuotaSeederDeps) {}

  /**
   * One pass. Calls made while a pass runs share one follow-up pass that starts after it, so every
   * caller's outcome reflects the quotas as of (at least) its call. Rejects when the cache or the
   * store fails; nothing is marked seeded then.
   */
  check(options: { reconcile?: boolean } = {}): Promise<SeedOutcome> {
    const reconcile = options.reconcile ?? true;
    const running = this.running;
    if (running === undefined) return this.begin(reconcile);
    // The shared follow-up reconciles only if every caller that joined it allows it.
    this.queuedMayReconcile = this.queued === undefined ? reconcile : this.queuedMayReconcile && reconcile;
    this.queued ??= running.then(
      () => this.beginQueued(),
      () => this.beginQueued(),
    );
    return this.queued;
  }

  private beginQueued(): Promise<SeedOutcome> {
    this.queued = undefined;
    return this.begin(this.queuedMayReconcile);
  }

  private begin(reconcile: boolean): Promise<SeedOutcome> {
    const pass = this.pass(reconcile);
    this.running = pass;
    const clear = (): void => {
      if (this.running === pass) this.running = undefined;
    };
    pass.then(clear, clear);
    return pass;
  }

  /** Checks every `intervalMs` (the timer does not keep the process alive). */
  start(intervalMs: number): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.check().catch((error: unknown) => this.failed(error));
    }, intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stops the timer; resolves when a pass under way has ended. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await (this.queued ?? this.running)?.catch(() => undefined);
  }

  private failed(error: unknown): void {
    this.deps.logger.warn(
      { err: error },
      'quotas: could not rebuild quota counters from the usage ledger; will retry',
    );
  }

  /** `mayReconcile`: false for the quick pass after an admin write (it runs inside the edit lease). */
  private async pass(mayReconcile: boolean): Promise<SeedOutcome> {
    const { cache } = this.deps;
    const targets = seedTargets(this.deps.quotas().all);
    if (targets.length === 0) return NOTHING;
    const epoch = (await cache.get(QUOTA_SEED_EPOCH_KEY)) !== null;
    if (!epoch) this.marked.clear();
    const reconcile = epoch && mayReconcile && (await this.reconcileDue());
    let due = reconcile ? targets : targets.filter((target) => !this.marked.has(seedMarkerKey(target)));
    if (due.length === 0) return NOTHING;
    // Without the epoch marker the per-budget markers are gone too: read them under the lease only.
    if (epoch && !reconcile) {
      due = await this.unmarked(due);
      if (due.length === 0) return NOTHING;
    }
    const token = await cache.acquireLease(SEED_LEASE, SEED_LEASE_TTL_MS);
    if (token === null) return { ...NOTHING, busy: true };
    try {
      if (!reconcile) due = await this.unmarked(due);
      const raised = due.length === 0 ? 0 : await this.seed(due, token);
      if (raised === null) return { ...NOTHING, busy: true };
      const at = this.deps.now();
      if (!epoch) await cache.set(QUOTA_SEED_EPOCH_KEY, new Date(at).toISOString());
      if (reconcile || !epoch) await this.reconciled(at);
      return { seeded: due.length, raisedMicroUsd: raised, busy: false };
    } finally {
      await cache.releaseLease(SEED_LEASE, token).catch(() => false);
    }
  }

  private get reconcileIntervalMs(): number {
    return this.deps.reconcileIntervalMs ?? DEFAULT_QUOTA_RECONCILE_INTERVAL_MS;
  }

  /** Whether every budget is due for a check against the ledger; one shared key says when it was. */
  private async reconcileDue(): Promise<boolean> {
    const now = this.deps.now();
    if (now - this.reconciledAt < this.reconcileIntervalMs) return false;
    const stored = await this.deps.cache.get(QUOTA_RECONCILED_KEY);
    if (stored === null) return true;
    // Another instance reconciled at that time: the next one is due an interval after it.
    const at = Date.parse(stored);
    this.reconciledAt = Number.isFinite(at) ? Math.min(at, now) : now;
    return false;
  }

  private async reconciled(at: number): Promise<void> {
    this.reconciledAt = at;
    await this.deps.cache.set(QUOTA_RECONCILED_KEY, new Date(at).toISOString(), {
      ttlMs: this.reconcileIntervalMs,
    });
  }

  /** The targets whose marker is not set; the others are remembered as marked. */
  private async unmarked(targets: readonly SeedTarget[]): Promise<SeedTarget[]> {
    const due: SeedTarget[] = [];
    for (const part of chunks(targets)) {
      const values = await Promise.all(part.map((target) => this.deps.cache.get(seedMarkerKey(target))));
      part.forEach((target, i) => {
        if (values[i] === null) due.push(target);
        else this.marked.add(seedMarkerKey(target));
      });
    }
    return due;
  }

  /** Raises each target's counter to the ledger's spend; null when the lease was lost meanwhile. */
  private async seed(targets: readonly SeedTarget[], token: string): Promise<number | null> {
    const { cache, logger } = this.deps;
    const now = this.deps.now();
    const spent = await ledgerWindowSpend(this.deps.ledger, targets, now);
    if (!(await cache.renewLease(SEED_LEASE, token, SEED_LEASE_TTL_MS))) return null;
    const raises: { target: SeedTarget; micro: number }[] = [];
    for (let start = 0; start < targets.length; start += CHUNK) {
      const part = targets.slice(start, start + CHUNK);
      const counts = await cache.peek(
        part.map((target) => target.bucket),
        now,
      );
      const buckets: ReleaseBucket[] = [];
      part.forEach((target, i) => {
        const micro = (spent[start + i] ?? 0) - (counts[i] ?? 0);
        if (micro <= 0) return;
        raises.push({ target, micro });
        // A negative release charges the window that contains `now`, creating it with its TTL.
        buckets.push({ key: target.bucket.key, windowMs: target.bucket.windowMs, cost: -micro });
      });
      if (buckets.length > 0) await cache.release(buckets, now);
    }
    const at = new Date(now).toISOString();
    for (const part of chunks(targets)) {
      await Promise.all(part.map((target) => cache.set(seedMarkerKey(target), at)));
      for (const target of part) this.marked.add(seedMarkerKey(target));
    }
    const total = raises.reduce((sum, raise) => sum + raise.micro, 0);
    const fields = {
      budgets: targets.length,
      raised: raises.length,
      raisedUsd: total / 1_000_000,
      quotas: raises.slice(0, LOGGED).map(({ target, micro }) => ({
        quota: target.quota.name,
        window: target.window,
        usd: micro / 1_000_000,
      })),
    };
    // Info when a counter changed (a cache that lost spend, a quota on a subject that had spent).
    if (raises.length > 0) logger.info(fields, 'quotas: counters rebuilt from the usage ledger');
    else logger.debug(fields, 'quotas: counters checked against the usage ledger');
    return total;
  }
}
