/**
 * Reservations left by a crashed instance expire (docs/tenancy.md, "Quotas"). A quota reservation
 * is settled by the instance that made it; when that instance dies first (killed, out of memory),
 * nobody would give the reservation back, and in a `total` window it would stay counted for good.
 *
 * So every instance keeps, in the cache backend:
 *   quota-alive:<instance>   a heartbeat that expires MISSED_BEATS beats after the last one;
 *   quota-holds:<instance>   its reservations in flight, rewritten at every beat;
 *   quota-holders            the instances that may hold reservations (changed under a lease).
 * At every beat an instance also looks for holders whose heartbeat has expired, takes the lease,
 * gives their reservations back (`release`, into the windows they were taken in) and forgets them.
 *
 * Bounded errors, both ways, of at most one beat of traffic (decision 0013): a reservation taken
 * after the dead instance's last beat stays counted until its window ends, and one it settled after
 * its last beat is given back twice. An instance cut off from a cache that the others still reach
 * for longer than that is taken for dead: its reservations are given back early, and its
 * own settlements later refund them again (the counter cannot go below zero).
 */
import type { CacheBackend, ReleaseBucket } from '../../control-plane/cache-port';
import type { Logger } from '../../core/logger';

export const QUOTA_HOLDERS_KEY = 'quota-holders';
const HOLDERS_LEASE = 'quota-holders';
const HOLDERS_LEASE_TTL_MS = 10_000;
const LEASE_RETRIES = 10;
const LEASE_RETRY_MS = 25;
export const DEFAULT_HOLD_BEAT_MS = 5_000;
/** Missing this many beats in a row means the instance is gone (30 s at the default beat). */
export const MISSED_BEATS = 6;

export const aliveKey = (instance: string): string => `quota-alive:${instance}`;
export const holdsKey = (instance: string): string => `quota-holds:${instance}`;

/** One reservation in flight: what `release` needs to give it back. */
export interface QuotaHold {
  buckets: readonly { key: string; windowMs: number }[];
  reservedAt: number;
  microUsd: number;
}

interface StoredHold {
  k: string[];
  w: number[];
  at: number;
  c: number;
}

function parseArray(value: string | null): unknown[] {
  if (value === null) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A journal's well-formed entries (anything else is skipped, never thrown on at every beat). */
function parseHolds(value: string | null): StoredHold[] {
  return parseArray(value).filter((entry): entry is StoredHold => {
    const hold = entry as Partial<StoredHold> | null;
    return (
      typeof hold === 'object' &&
      hold !== null &&
      Array.isArray(hold.k) &&
      Array.isArray(hold.w) &&
      hold.k.length === hold.w.length &&
      hold.k.every((key) => typeof key === 'string') &&
      hold.w.every((ms) => Number.isSafeInteger(ms) && ms > 0) &&
      isCount(hold.at) &&
      isCount(hold.c)
    );
  });
}

function parseIds(value: string | null): string[] {
  return parseArray(value).filter((id): id is string => typeof id === 'string');
}

/**
 * The journal grouped by bucket and window, costs summed: thousands of reservations are given back
 * in as many `release` calls as they touch distinct windows, not one call per reservation.
 */
function releaseBuckets(holds: readonly StoredHold[]): { at: number; list: ReleaseBucket[] }[] {
  const byWindow = new Map<string, { at: number; bucket: ReleaseBucket }>();
  for (const hold of holds) {
    if (hold.c === 0) continue;
    hold.k.forEach((key, i) => {
      const windowMs = hold.w[i] ?? 1;
      const index = Math.floor(hold.at / windowMs);
      const id = `${key}\u0000${windowMs}\u0000${index}`;
      const found = byWindow.get(id);
      if (found === undefined) byWindow.set(id, { at: hold.at, bucket: { key, windowMs, cost: hold.c } });
      else found.bucket = { ...found.bucket, cost: found.bucket.cost + hold.c };
    });
  }
  return [...byWindow.values()].map(({ at, bucket }) => ({ at, list: [bucket] }));
}

export interface QuotaHoldsDeps {
  cache: CacheBackend;
  instanceId: string;
  logger: Logger;
  now: () => number;
  beatMs?: number;
}

export class QuotaHolds {
  private readonly live = new Set<QuotaHold>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private beating: Promise<void> | undefined;
  /** The journal as last written, and the beats since, to skip rewriting an unchanged one. */
  private written: string | undefined;
  private unchangedBeats = 0;

  constructor(private readonly deps: QuotaHoldsDeps) {}

  /** How long a heartbeat lives: MISSED_BEATS beats. */
  get aliveTtlMs(): number {
    return MISSED_BEATS * this.beatMs;
  }

  private get beatMs(): number {
    return this.deps.beatMs ?? DEFAULT_HOLD_BEAT_MS;
  }

  /** Called by a reservation when it is taken; the returned function forgets it (at settlement). */
  hold(hold: QuotaHold): () => void {
    this.live.add(hold);
    return () => this.live.delete(hold);
  }

  /** Beats now and every `beatMs` (the timer does not keep the process alive). */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.beat(), this.beatMs);
    (this.timer as { unref?: () => void }).unref?.();
    void this.beat();
  }

  /**
   * One beat: the heartbeat, this instance's holds, and the give-back of dead holders' holds.
   * Never rejects; a cache that is down only delays the next beat's work.
   */
  beat(): Promise<void> {
    this.beating ??= this.beatOnce()
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, 'quotas: reservation heartbeat failed; will retry'),
      )
      .finally(() => (this.beating = undefined));
    return this.beating;
  }

  /**
   * Stops beating. Graceful shutdown settles every reservation first, so this instance leaves the
   * holders with nothing to give back.
   */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    const { cache, instanceId } = this.deps;
    try {
      await this.changeHolders((ids) => ids.filter((id) => id !== instanceId));
      await cache.delete(holdsKey(instanceId));
      await cache.delete(aliveKey(instanceId));
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'quotas: could not leave the reservation holders');
    }
  }

  private async beatOnce(): Promise<void> {
    const { cache, instanceId } = this.deps;
    // Heartbeat and journal first: a holder is never listed without them. An unchanged journal is
    // rewritten only every MISSED_BEATS beats (in case the cache lost it).
    const journal = JSON.stringify(this.journal());
    if (journal !== this.written || ++this.unchangedBeats >= MISSED_BEATS) {
      await cache.set(holdsKey(instanceId), journal);
      this.written = journal;
      this.unchangedBeats = 0;
    }
    await cache.set(aliveKey(instanceId), String(this.deps.now()), { ttlMs: this.aliveTtlMs });
    const holders = parseIds(await cache.get(QUOTA_HOLDERS_KEY));
    // Listed again whenever the list lost this instance (a flushed cache, an outage that made the
    // others take it for dead): its journal is only looked at through the list.
    if (!holders.includes(instanceId)) {
      await this.changeHolders((ids) => (ids.includes(instanceId) ? ids : [...ids, instanceId]));
    }
    const others = holders.filter((id) => id !== instanceId);
    const beats = await Promise.all(others.map((id) => cache.get(aliveKey(id))));
    const dead = others.filter((_, i) => beats[i] === null);
    if (dead.length > 0) await this.giveBackDeadHolds(dead);
  }

  private journal(): StoredHold[] {
    return [...this.live].map((hold) => ({
      k: hold.buckets.map((b) => b.key),
      w: hold.buckets.map((b) => b.windowMs),
      at: hold.reservedAt,
      c: hold.microUsd,
    }));
  }

  /**
   * Gives back the holds of holders whose heartbeat expired, at most once: under the lease each
   * dead holder's journal is claimed (read, deleted, the holder unlisted) before anything is
   * released, so an instance that takes the lease later finds nothing left to give back.
   */
  private async giveBackDeadHolds(dead: readonly string[]): Promise<void> {
    const { cache } = this.deps;
    const claimed: { id: string; holds: StoredHold[] }[] = [];
    await this.changeHolders(async (ids) => {
      for (const id of dead) {
        // Re-checked under the lease: another instance may have done it, or the holder came back.
        if (!ids.includes(id) || (await cache.get(aliveKey(id))) !== null) continue;
        claimed.push({ id, holds: parseHolds(await cache.get(holdsKey(id))) });
        await cache.delete(holdsKey(id));
        ids = ids.filter((other) => other !== id);
      }
      return ids;
    });
    for (const { id, holds } of claimed) {
      const buckets = releaseBuckets(holds);
      for (const { at, list } of buckets) await cache.release(list, at);
      const microUsd = holds.reduce((sum, hold) => sum + hold.c, 0);
      this.deps.logger.warn(
        { instance: id, reservations: holds.length, usd: microUsd / 1_000_000 },
        'quotas: gave back the reservations of an instance that stopped without settling them',
      );
    }
  }

  /**
   * Read-modify-write of the holders list under its lease; false (nothing done) when another
   * instance holds the lease: the next beat tries again.
   */
  private async changeHolders(change: (ids: string[]) => string[] | Promise<string[]>): Promise<boolean> {
    const { cache } = this.deps;
    let token = await cache.acquireLease(HOLDERS_LEASE, HOLDERS_LEASE_TTL_MS);
    // The lease is held only for a few cache calls: wait a little before giving up for this beat.
    for (let retry = 0; token === null && retry < LEASE_RETRIES; retry++) {
      await new Promise((resolve) => setTimeout(resolve, LEASE_RETRY_MS));
      token = await cache.acquireLease(HOLDERS_LEASE, HOLDERS_LEASE_TTL_MS);
    }
    if (token === null) return false;
    try {
      const ids = parseIds(await cache.get(QUOTA_HOLDERS_KEY));
      await cache.set(QUOTA_HOLDERS_KEY, JSON.stringify(await change(ids)));
      return true;
    } finally {
      await cache.releaseLease(HOLDERS_LEASE, token).catch(() => false);
    }
  }
}
