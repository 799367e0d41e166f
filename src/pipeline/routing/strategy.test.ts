import { describe, expect, it } from 'vitest';
import { EMPTY_ALIAS_TABLE } from '../../control-plane/alias-table';
import type { RouteStrategy } from '../../control-plane/model';
import type { ProviderView, RouteMemberView } from '../../control-plane/snapshot';
import { orderMembers, type StrategyContext } from './strategy';
import { MemberLatency, RouteTurns } from './strategy-state';

const provider: ProviderView = {
  id: 'p',
  name: 'p',
  channel: 'openai',
  settings: {},
  credentials: [],
  models: [],
  aliases: EMPTY_ALIAS_TABLE,
};

/** Members in the snapshot's order (tier, then position): `[id, tier, weight]`. */
function members(...specs: [string, number, number][]): RouteMemberView[] {
  return specs.map(([id, tier, weight], position) => ({
    member: { id, routeId: 'r', providerId: 'p', model: id, tier, weight, enabled: true, position },
    provider,
  }));
}

/** A small seeded generator (mulberry32), so distribution tests are exact and repeatable. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function context(overrides: Partial<StrategyContext> = {}): StrategyContext {
  const turns = new RouteTurns();
  return {
    nextTurn: (route, tier) => turns.next(route, tier),
    random: seeded(42),
    latencyOf: () => undefined,
    ...overrides,
  };
}

const ids = (list: RouteMemberView[]): string[] => list.map((view) => view.member.id);

function firstPicks(strategy: RouteStrategy, list: RouteMemberView[], n: number, ctx = context()) {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const first = orderMembers('r', strategy, list, ctx)[0]!.member.id;
    counts[first] = (counts[first] ?? 0) + 1;
  }
  return counts;
}

describe('orderMembers', () => {
  it('failover: tiers in order, inside a tier by weight (highest first), then configured order', () => {
    const list = members(['a', 0, 1], ['b', 0, 3], ['c', 0, 1], ['d', 1, 5], ['e', 1, 0], ['f', 1, 5]);
    expect(ids(orderMembers('r', 'failover', list, context()))).toEqual(['b', 'a', 'c', 'd', 'f', 'e']);
  });

  it('round_robin: weighted turns inside the first tier, the lower tier stays behind', () => {
    const list = members(['a', 0, 2], ['b', 0, 1], ['z', 1, 1]);
    const ctx = context();
    const orders = Array.from({ length: 6 }, () => ids(orderMembers('r', 'round_robin', list, ctx)));
    expect(orders).toEqual([
      ['a', 'b', 'z'],
      ['a', 'b', 'z'],
      ['b', 'a', 'z'],
      ['a', 'b', 'z'],
      ['a', 'b', 'z'],
      ['b', 'a', 'z'],
    ]);
    expect(firstPicks('round_robin', list, 3000, ctx)).toEqual({ a: 2000, b: 1000 });
  });

  it('weighted: leads in proportion to weight over 2000 picks, every member still in the order', () => {
    const list = members(['a', 0, 1], ['b', 0, 3], ['c', 0, 6], ['standby', 0, 0], ['next', 1, 1]);
    const ctx = context();
    for (let i = 0; i < 50; i++) {
      const order = ids(orderMembers('r', 'weighted', list, ctx));
      expect([...order].sort()).toEqual(['a', 'b', 'c', 'next', 'standby']);
      expect(order.slice(3)).toEqual(['standby', 'next']);
    }
    const counts = firstPicks('weighted', list, 2000, ctx);
    expect(counts['standby']).toBeUndefined();
    expect(counts['a']! / 2000).toBeCloseTo(0.1, 1);
    expect(counts['b']! / 2000).toBeCloseTo(0.3, 1);
    expect(counts['c']! / 2000).toBeCloseTo(0.6, 1);
    // Within 3 percentage points of the configured share.
    expect(Math.abs(counts['c']! / 2000 - 0.6)).toBeLessThan(0.03);
    expect(Math.abs(counts['a']! / 2000 - 0.1)).toBeLessThan(0.03);
  });

  it('least_latency: unmeasured members first, then the lowest moving average', () => {
    const latency = new MemberLatency();
    const list = members(['slow', 0, 1], ['fast', 0, 1], ['new', 0, 1], ['other-tier', 1, 1]);
    const ctx = context({ latencyOf: (id) => latency.get(id) });
    latency.record('slow', 900);
    latency.record('fast', 100);
    expect(ids(orderMembers('r', 'least_latency', list, ctx))).toEqual(['new', 'fast', 'slow', 'other-tier']);
    latency.record('new', 500);
    expect(ids(orderMembers('r', 'least_latency', list, ctx))).toEqual(['fast', 'new', 'slow', 'other-tier']);
    // The average follows a member that slows down, within a few requests.
    for (let i = 0; i < 5; i++) latency.record('fast', 2000);
    expect(ids(orderMembers('r', 'least_latency', list, ctx))[0]).toBe('new');
  });
});

describe('MemberLatency', () => {
  it('keeps an exponentially weighted moving average', () => {
    const latency = new MemberLatency();
    latency.record('m', 100);
    expect(latency.get('m')).toBe(100);
    latency.record('m', 200);
    expect(latency.get('m')).toBeCloseTo(130);
    expect(latency.get('unknown')).toBeUndefined();
  });
});
