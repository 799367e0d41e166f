/**
 * Conformance cases for billing: cost columns of the usage ledger, the hourly rollups (added to
 * exactly once per usage record, even when a batch is retried), exact money sums beyond 2^53
 * pico-USD, and rollup reads with filters and paging.
 */
import { expect, it } from 'vitest';
import type { UsageRollup } from '../../../src/control-plane/usage-rollup';
import { usage } from '../fixtures';
import type { ConformanceContext } from './conformance';

const HOUR = '2026-03-01T12:00:00.000Z';

export function billingCases(ctx: ConformanceContext): void {
  it('keeps cost, priced flag, price rule and the 1-hour cache writes of a usage record', async () => {
    await ctx.store.insertUsage([
      usage('priced', { costPicoUsd: '123456789012', priceRule: 'oa-mini', cacheCreation1hTokens: 7 }),
      usage('unpriced', {
        costPicoUsd: null,
        priced: false,
        priceRule: null,
        usageSource: 'counted-locally',
      }),
    ]);
    const { data } = await ctx.store.queryUsage({ limit: 10 });
    const byId = new Map(data.map((record) => [record.requestId, record]));
    expect(byId.get('priced')).toMatchObject({
      costPicoUsd: '123456789012',
      priced: true,
      priceRule: 'oa-mini',
      cacheCreation1hTokens: 7,
    });
    expect(byId.get('unpriced')).toMatchObject({
      costPicoUsd: null,
      priced: false,
      priceRule: null,
      usageSource: 'counted-locally',
    });
  });

  it('adds each usage record to its hourly rollup exactly once, also when a batch is retried', async () => {
    // $5000 a request: three of them pass 2^53 pico-USD, which a double would round.
    const big = '5000000000000001';
    const batch = [
      usage('r1', { createdAt: '2026-03-01T12:05:00.000Z', costPicoUsd: big }),
      usage('r2', { createdAt: '2026-03-01T12:59:59.999Z', costPicoUsd: big, endState: 'timeout' }),
      usage('r3', { createdAt: '2026-03-01T12:30:00.000Z', costPicoUsd: null, priced: false }),
    ];
    await ctx.store.insertUsage(batch);
    // Retried (the first write's acknowledgement was lost), and overlapping with a new record.
    await ctx.store.insertUsage([
      ...batch,
      usage('r4', { createdAt: '2026-03-01T12:10:00.000Z', costPicoUsd: big }),
    ]);
    await ctx.store.insertUsage(batch);

    const { data } = await ctx.store.queryUsageRollups({ limit: 10 });
    expect(data).toHaveLength(1);
    expect(data[0]).toEqual<UsageRollup>({
      hour: HOUR,
      orgId: null,
      teamId: null,
      userId: 'u-alice',
      userKeyId: 'k-alice',
      routeName: 'gpt-fast',
      providerName: 'oa',
      upstreamModel: 'gpt-4o-mini',
      requests: 4,
      errors: 1,
      inputTokens: 40,
      outputTokens: 80,
      cachedInputTokens: 12,
      cacheCreationTokens: 0,
      reasoningTokens: 20,
      costPicoUsd: '15000000000000003',
      unpricedRequests: 1,
    });
  });

  it('keeps one rollup per hour and dimension, filters them and pages newest hour first', async () => {
    const records = Array.from({ length: 12 }, (_, i) =>
      usage(`h${String(i).padStart(2, '0')}`, {
        createdAt: `2026-03-01T${String(i % 6).padStart(2, '0')}:15:00.000Z`,
        userId: i % 2 === 0 ? 'u-alice' : 'u-bob',
        upstreamModel: i < 6 ? 'gpt-4o-mini' : 'claude-haiku-4-5',
        orgId: i % 2 === 0 ? 'o-acme' : null,
        costPicoUsd: String(1000 + i),
      }),
    );
    // Two batches, so the second adds to rows the first created.
    await ctx.store.insertUsage(records.slice(0, 5));
    await ctx.store.insertUsage(records.slice(5));

    const pages: UsageRollup[][] = [];
    let before: string | undefined;
    for (;;) {
      const page = await ctx.store.queryUsageRollups({ limit: 5, before });
      pages.push(page.data);
      if (page.next === null) break;
      before = page.next;
    }
    const all = pages.flat();
    expect(all).toHaveLength(12);
    expect(pages.map((page) => page.length)).toEqual([5, 5, 2]);
    const hours = all.map((rollup) => rollup.hour);
    expect(hours).toEqual([...hours].sort().reverse());
    expect(all.reduce((sum, rollup) => sum + rollup.requests, 0)).toBe(12);

    const alice = await ctx.store.queryUsageRollups({ userId: 'u-alice', limit: 100 });
    expect(alice.data.every((rollup) => rollup.userId === 'u-alice' && rollup.orgId === 'o-acme')).toBe(true);
    expect(alice.data).toHaveLength(6);
    const window = await ctx.store.queryUsageRollups({
      upstreamModel: 'claude-haiku-4-5',
      since: '2026-03-01T02:00:00.000Z',
      until: '2026-03-01T04:00:00.000Z',
      limit: 100,
    });
    expect(window.data.map((rollup) => [rollup.hour, rollup.costPicoUsd]).sort()).toEqual([
      ['2026-03-01T02:00:00.000Z', '1008'],
      ['2026-03-01T03:00:00.000Z', '1009'],
    ]);
  });
}
