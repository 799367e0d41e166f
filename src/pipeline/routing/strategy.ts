/**
 * Route strategies: the order a route's members are tried in for one request. Tiers are always
 * tried lowest first; the strategy orders the members inside each tier. A member with weight 0 is
 * a standby in every strategy: it comes after the weighted members of its tier, in configured
 * order. Pure: the turn counter, the random source and the latency figures come in.
 */
import type { RouteStrategy } from '../../control-plane/model';
import type { RouteMemberView } from '../../control-plane/snapshot';

export interface StrategyContext {
  /** The next turn for a (route, tier) pair; each call advances it (round_robin). */
  nextTurn: (routeId: string, tier: number) => number;
  /** A number in [0, 1) (weighted). */
  random: () => number;
  /** The member's recent latency in ms, or undefined before it answered once (least_latency). */
  latencyOf: (memberId: string) => number | undefined;
}

export function orderMembers(
  routeId: string,
  strategy: RouteStrategy,
  members: readonly RouteMemberView[],
  context: StrategyContext,
): RouteMemberView[] {
  if (members.length <= 1) return [...members];
  const ordered: RouteMemberView[] = [];
  let start = 0;
  // Members come sorted by tier, then position (snapshot.ts).
  while (start < members.length) {
    const tier = members[start]?.member.tier ?? 0;
    let end = start;
    while (end < members.length && members[end]?.member.tier === tier) end++;
    ordered.push(...orderTier(routeId, strategy, members.slice(start, end), tier, context));
    start = end;
  }
  return ordered;
}

const weightOf = (view: RouteMemberView): number => Math.max(0, Math.floor(view.member.weight));

function orderTier(
  routeId: string,
  strategy: RouteStrategy,
  tier: RouteMemberView[],
  tierNumber: number,
  context: StrategyContext,
): RouteMemberView[] {
  if (tier.length <= 1) return tier;
  const active = tier.filter((view) => weightOf(view) > 0);
  const standby = tier.filter((view) => weightOf(view) === 0);
  switch (strategy) {
    case 'failover':
      // Array.prototype.sort is stable: equal weights keep the configured order.
      return [...active.sort((a, b) => weightOf(b) - weightOf(a)), ...standby];
    case 'round_robin':
      return [...rotate(active, context.nextTurn(routeId, tierNumber)), ...standby];
    case 'weighted':
      return [...shuffleByWeight(active, context.random), ...standby];
    case 'least_latency':
      return [...byLatency(active, context.latencyOf), ...standby];
  }
}

/** Weighted turns: turn n starts at the member owning slot n of the weight cycle. */
export function rotate(members: readonly RouteMemberView[], turn: number): RouteMemberView[] {
  const total = members.reduce((sum, view) => sum + weightOf(view), 0);
  if (total === 0) return [...members];
  let slot = turn % total;
  let start = 0;
  for (; start < members.length; start++) {
    const weight = weightOf(members[start] as RouteMemberView);
    if (slot < weight) break;
    slot -= weight;
  }
  return [...members.slice(start), ...members.slice(0, start)];
}

/**
 * A weighted random order (Efraimidis-Spirakis): each member draws u^(1/weight) and the highest
 * draw goes first, so a member leads with probability weight / total weight, and the rest follow
 * as a draw without replacement.
 */
export function shuffleByWeight(
  members: readonly RouteMemberView[],
  random: () => number,
): RouteMemberView[] {
  return members
    .map((view) => ({ view, key: Math.pow(random(), 1 / weightOf(view)) }))
    .sort((a, b) => b.key - a.key)
    .map((entry) => entry.view);
}

/** Members never measured go first (so they get measured), then the fastest recent latency. */
function byLatency(
  members: readonly RouteMemberView[],
  latencyOf: (memberId: string) => number | undefined,
): RouteMemberView[] {
  return members
    .map((view, index) => ({ view, index, latency: latencyOf(view.member.id) ?? -1 }))
    .sort((a, b) => a.latency - b.latency || a.index - b.index)
    .map((entry) => entry.view);
}
