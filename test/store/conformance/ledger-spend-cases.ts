/**
 * Conformance cases for what quota counters are rebuilt from: the rollups' cost summed per subject
 * (org, team, user or key), route, provider and upstream model since an hour — exact past 2^63
 * pico-USD, which 64-bit integer sums cannot hold — and rollup retention by hour.
 */
import { expect, it } from 'vitest';
import type { LedgerSpend } from '../../../src/control-plane/quotas/ledger-spend';
import { usage } from '../fixtures';
import type { ConformanceContext } from './conformance';

const bySubjectAndRoute = (a: LedgerSpend, b: LedgerSpend): number => {
  const ka = `${a.subjectId}|${a.routeName}|${a.upstreamModel}`;
  const kb = `${b.subjectId}|${b.routeName}|${b.upstreamModel}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

export function ledgerSpendCases(ctx: ConformanceContext): void {
  it('sums rollup cost per subject, route, provider and model since an hour', async () => {
    const alice = { userId: 'u-alice', userKeyId: 'k-alice', orgId: 'o-acme', teamId: 't-core' };
    const bob = { userId: 'u-bob', userKeyId: 'k-bob', orgId: 'o-acme', teamId: null };
    await ctx.store.insertUsage([
      // Before the window: left out.
      usage('old', { ...alice, createdAt: '2026-03-01T09:59:59.999Z', costPicoUsd: '1000' }),
      usage('a1', { ...alice, createdAt: '2026-03-01T10:00:00.000Z', costPicoUsd: '1500000' }),
      usage('a2', { ...alice, createdAt: '2026-03-01T13:20:00.000Z', costPicoUsd: '2500001' }),
      usage('a3', {
        ...alice,
        createdAt: '2026-03-01T11:00:00.000Z',
        routeName: null,
        providerName: 'an',
        upstreamModel: 'claude-haiku-4-5',
        costPicoUsd: '7',
      }),
      usage('a4', { ...alice, createdAt: '2026-03-01T11:30:00.000Z', costPicoUsd: null, priced: false }),
      usage('b1', { ...bob, createdAt: '2026-03-01T12:00:00.000Z', costPicoUsd: '40' }),
      usage('c1', { userId: 'u-carol', userKeyId: 'k-carol', createdAt: '2026-03-01T12:00:00.000Z' }),
    ]);
    const since = '2026-03-01T10:00:00.000Z';

    const users = await ctx.store.sumLedgerSpend({
      subjectKind: 'user',
      subjectIds: ['u-alice', 'u-bob'],
      since,
    });
    expect(users.sort(bySubjectAndRoute)).toEqual<LedgerSpend[]>(
      [
        {
          subjectId: 'u-alice',
          routeName: 'gpt-fast',
          providerName: 'oa',
          upstreamModel: 'gpt-4o-mini',
          costPicoUsd: '4000001',
        },
        {
          subjectId: 'u-alice',
          routeName: null,
          providerName: 'an',
          upstreamModel: 'claude-haiku-4-5',
          costPicoUsd: '7',
        },
        {
          subjectId: 'u-bob',
          routeName: 'gpt-fast',
          providerName: 'oa',
          upstreamModel: 'gpt-4o-mini',
          costPicoUsd: '40',
        },
      ].sort(bySubjectAndRoute),
    );

    const orgs = await ctx.store.sumLedgerSpend({ subjectKind: 'org', subjectIds: ['o-acme'], since });
    const orgTotal = orgs.reduce((sum, spend) => sum + BigInt(spend.costPicoUsd), 0n);
    expect(orgs.every((spend) => spend.subjectId === 'o-acme')).toBe(true);
    expect(orgTotal).toBe(4000048n);

    const teams = await ctx.store.sumLedgerSpend({ subjectKind: 'team', subjectIds: ['t-core'], since });
    expect(teams.reduce((sum, spend) => sum + BigInt(spend.costPicoUsd), 0n)).toBe(4000008n);

    const keys = await ctx.store.sumLedgerSpend({
      subjectKind: 'key',
      subjectIds: ['k-bob'],
      since: '2026-03-01T12:00:00.000Z',
    });
    expect(keys.map((spend) => [spend.subjectId, spend.costPicoUsd])).toEqual([['k-bob', '40']]);

    const later = await ctx.store.sumLedgerSpend({
      subjectKind: 'user',
      subjectIds: ['u-alice'],
      since: '2026-03-01T13:00:00.000Z',
    });
    expect(later.map((spend) => spend.costPicoUsd)).toEqual(['2500001']);
    expect(await ctx.store.sumLedgerSpend({ subjectKind: 'user', subjectIds: [], since })).toEqual([]);
  });

  it('sums exactly past 2^63 pico-USD (about $9.2M), where 64-bit sums overflow', async () => {
    // $5M a request, in three different hours: three rollup rows whose sum passes 2^63.
    const big = '5000000000000000123';
    await ctx.store.insertUsage(
      ['01', '02', '03'].map((hour, i) =>
        usage(`big${i}`, { createdAt: `2026-03-01T${hour}:00:00.000Z`, costPicoUsd: big }),
      ),
    );
    const spend = await ctx.store.sumLedgerSpend({
      subjectKind: 'user',
      subjectIds: ['u-alice'],
      since: '1970-01-01T00:00:00.000Z',
    });
    expect(spend.map((row) => row.costPicoUsd)).toEqual(['15000000000000000369']);
  });

  it('prunes rollups whose hour starts before the cutoff, and nothing else', async () => {
    await ctx.store.insertUsage([
      usage('r1', { createdAt: '2026-03-01T10:59:00.000Z' }),
      usage('r2', { createdAt: '2026-03-01T11:00:00.000Z' }),
      usage('r3', { createdAt: '2026-03-02T08:00:00.000Z' }),
    ]);
    expect(await ctx.store.pruneRecords('usage-rollups', '2026-03-01T11:00:00.000Z')).toBe(1);
    const { data } = await ctx.store.queryUsageRollups({ limit: 10 });
    expect(data.map((rollup) => rollup.hour)).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-01T11:00:00.000Z',
    ]);
    // The usage records themselves are a separate retention.
    expect((await ctx.store.queryUsage({ limit: 10 })).data).toHaveLength(3);
  });
}
