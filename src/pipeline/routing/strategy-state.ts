/**
 * What the strategies remember between requests: recent latency per route member (an
 * exponentially weighted moving average, for `least_latency`) and round-robin turns. Kept in
 * memory, per process: each gproxy instance learns its own figures, and they start empty after a
 * restart. Memory is bounded by the number of members and tiers seen.
 */

/** Weight of the newest sample: 0.3 follows a change within a handful of requests. */
const ALPHA = 0.3;
const MAX_MEMBERS = 10_000;

export class MemberLatency {
  private readonly averages = new Map<string, number>();

  record(memberId: string, latencyMs: number): void {
    const sample = Math.max(0, latencyMs);
    const previous = this.averages.get(memberId);
    if (previous === undefined && this.averages.size >= MAX_MEMBERS) {
      const oldest = this.averages.keys().next();
      if (oldest.done !== true) this.averages.delete(oldest.value);
    }
    this.averages.set(memberId, previous === undefined ? sample : previous + ALPHA * (sample - previous));
  }

  get(memberId: string): number | undefined {
    return this.averages.get(memberId);
  }
}

/** Round-robin turns per (route, tier), per process. */
export class RouteTurns {
  private readonly turns = new Map<string, number>();

  next(routeId: string, tier: number): number {
    const key = `${routeId}\u0000${tier}`;
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, (turn + 1) % Number.MAX_SAFE_INTEGER);
    return turn;
  }
}
