/**
 * The quota seeder against the memory cache backend and a real SQLite ledger: a cache that lost
 * its counters gets them back from the usage rollups, new budgets start from the spend already in
 * their window, and seeding never counts anything twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheBackend } from '../../control-plane/cache-port';
import type { QuotaRecord } from '../../control-plane/model';
import type { ControlPlaneStore } from '../../control-plane/ports';
import { buildQuotaBook, type QuotaBook } from '../../control-plane/quotas/quota-book';
import { silentLogger } from '../../core/logger';
import { MemoryCacheBackend } from '../../store/cache/memory/memory-cache';
import { openSqliteStore } from '../../store/persistence/sqlite/open-sqlite';
import { usage } from '../../../test/store/fixtures';
import { planQuotaBuckets } from '../quotas/plan-quota-buckets';
import { QUOTA_SEED_EPOCH_KEY, QuotaSeeder, seedMarkerKey } from './quota-seeder';
import { seedTargets } from './ledger-window-spend';

const NOW = Date.parse('2026-03-16T15:30:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** Micro-USD as the ledger's pico-USD. */
const pico = (micro: number) => String(BigInt(micro) * 1_000_000n);

function quota(id: string, fields: Pick<QuotaRecord, 'subjectKind' | 'subjectId' | 'budgets'>): QuotaRecord {
  return { id, name: id, ...fields };
}

/** The budgets the tests start with, by quota id. */
function budgetsOf(id: string): QuotaRecord['budgets'] {
  return id === 'q-gpt'
    ? { route: 'gpt-*', total: '1', daily: null, weekly: null, monthly: null }
    : { route: null, total: '1', daily: '1', weekly: '1', monthly: '1' };
}

/** A cache whose contents can be lost at once, as a flushed Redis or a restarted memory backend. */
function flushableCache(): { cache: CacheBackend; flush: () => void } {
  let current = new MemoryCacheBackend({ now: () => NOW, sweepIntervalMs: 0 });
  const cache = new Proxy({} as CacheBackend, {
    get: (_target, prop: keyof CacheBackend) => {
      const value: unknown = Reflect.get(current, prop);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
  return {
    cache,
    flush: () => {
      void current.close();
      current = new MemoryCacheBackend({ now: () => NOW, sweepIntervalMs: 0 });
    },
  };
}

/** The counter of each budget of a quota, as admission sees it now. */
async function counters(cache: CacheBackend, book: QuotaBook, id: string): Promise<Record<string, number>> {
  const found = book.all.find((q) => q.id === id);
  if (found === undefined) throw new Error(`no quota ${id}`);
  const planned = planQuotaBuckets([found], 0);
  const counts = await cache.peek(
    planned.map((p) => p.bucket),
    NOW,
  );
  return Object.fromEntries(planned.map((p, i) => [p.window, counts[i] ?? -1]));
}

describe('quota seeder', () => {
  let store: ControlPlaneStore;
  let cache: CacheBackend;
  let flush: () => void;
  let book: QuotaBook;
  let seeder: QuotaSeeder;

  const setQuotas = (records: QuotaRecord[]) => {
    book = buildQuotaBook({
      quotas: records,
      teams: [{ id: 't1', orgId: 'o1', name: 't', enabled: true, permissions: [] }],
    });
  };

  beforeEach(async () => {
    store = await openSqliteStore({ file: ':memory:' });
    ({ cache, flush } = flushableCache());
    await store.insertUsage([
      // 40 days ago: only the total window holds it.
      usage('old', { createdAt: iso(NOW - 40 * DAY), costPicoUsd: pico(1000) }),
      // 3 days ago: total, monthly (from 2026-03-08) and weekly (from Thursday 2026-03-12).
      usage('week', { createdAt: iso(NOW - 3 * DAY), costPicoUsd: pico(200) }),
      // Today, on two routes and one direct provider/model request.
      usage('today', { createdAt: iso(NOW - 3_600_000), costPicoUsd: pico(30) }),
      usage('claude', {
        createdAt: iso(NOW - 60_000),
        routeName: 'claude-fast',
        upstreamModel: 'claude-haiku-4-5',
        costPicoUsd: '4000001', // 4.000001 micro-USD: rounds up to 5
      }),
      usage('direct', {
        createdAt: iso(NOW - 60_000),
        routeName: null,
        providerName: 'an',
        upstreamModel: 'x',
      }),
      // Someone else's spend.
      usage('bob', {
        userId: 'u-bob',
        userKeyId: 'k-bob',
        createdAt: iso(NOW - 60_000),
        costPicoUsd: pico(7),
      }),
    ]);
    setQuotas([
      quota('q-all', { subjectKind: 'user', subjectId: 'u-alice', budgets: budgetsOf('q-all') }),
      quota('q-gpt', { subjectKind: 'key', subjectId: 'k-alice', budgets: budgetsOf('q-gpt') }),
    ]);
    seeder = new QuotaSeeder({
      cache,
      ledger: store,
      quotas: () => book,
      logger: silentLogger,
      now: () => NOW,
    });
  });
  afterEach(async () => {
    await seeder.stop();
    await cache.close();
    await store.close();
  });

  it('rebuilds every budget from the ledger spend of its current window', async () => {
    const outcome = await seeder.check();
    expect(outcome).toMatchObject({ seeded: 5, busy: false });
    // The direct request's default cost is 13.5 micro-USD: rounded up with the claude one.
    const today = 30 + 13.5 + 4.000001;
    expect(await counters(cache, book, 'q-all')).toEqual({
      total: Math.ceil(1000 + 200 + today),
      daily: Math.ceil(today),
      weekly: Math.ceil(200 + today),
      monthly: Math.ceil(200 + today),
    });
    // Route glob `gpt-*`: only requests routed to gpt-fast count.
    expect(await counters(cache, book, 'q-gpt')).toEqual({ total: 1000 + 200 + 30 });
    expect(await cache.get(QUOTA_SEED_EPOCH_KEY)).not.toBeNull();
    // Admission sees the seeded spend: $1 total minus what was spent.
    const [bucket] = planQuotaBuckets([book.all[1]!], 1_000_000 - 1230 + 1);
    expect(await cache.consume([bucket!.bucket], NOW)).toMatchObject({ allowed: false });
  });

  it('matches a route glob against provider/model for requests that had no route', async () => {
    setQuotas([
      quota('q-direct', {
        subjectKind: 'user',
        subjectId: 'u-alice',
        budgets: { route: 'an/*', total: null, daily: '1', weekly: null, monthly: null },
      }),
    ]);
    await seeder.check();
    expect(await counters(cache, book, 'q-direct')).toEqual({ daily: Math.ceil(13.5) });
  });

  it('gets the counters back after the cache lost them, and only then queries the ledger again', async () => {
    await seeder.check();
    const before = await counters(cache, book, 'q-all');
    // Nothing lost: a check changes nothing (it only reads the epoch marker).
    await store.insertUsage([usage('late', { createdAt: iso(NOW - 1000), costPicoUsd: pico(50) })]);
    expect(await seeder.check()).toMatchObject({ seeded: 0 });
    expect(await counters(cache, book, 'q-all')).toEqual(before);

    flush();
    expect(await counters(cache, book, 'q-all')).toEqual({ total: 0, daily: 0, weekly: 0, monthly: 0 });
    expect(await seeder.check()).toMatchObject({ seeded: 5 });
    expect(await counters(cache, book, 'q-all')).toEqual({
      total: before['total']! + 50,
      daily: before['daily']! + 50,
      weekly: before['weekly']! + 50,
      monthly: before['monthly']! + 50,
    });
  });

  it('brings back a counter the cache evicted on its own, at the next reconcile, once for all instances', async () => {
    let clock = NOW;
    const shared = new MemoryCacheBackend({ now: () => clock, sweepIntervalMs: 0 });
    const instance = () =>
      new QuotaSeeder({
        cache: shared,
        ledger: store,
        quotas: () => book,
        logger: silentLogger,
        now: () => clock,
        reconcileIntervalMs: 60_000,
      });
    const [a, b] = [instance(), instance()];
    try {
      await a.check();
      const seeded = await counters(shared, book, 'q-all');
      // An eviction policy drops one counter; its marker and the epoch marker stay.
      const daily = planQuotaBuckets([book.all.find((q) => q.id === 'q-all')!], 0).find(
        (p) => p.window === 'daily',
      )!;
      await shared.release([{ ...daily.bucket, cost: seeded['daily']! }], clock);
      expect((await counters(shared, book, 'q-all'))['daily']).toBe(0);
      clock += 30_000;
      expect(await b.check()).toMatchObject({ seeded: 0 });
      clock += 31_000;
      expect(await b.check()).toMatchObject({ seeded: 5 });
      expect(await counters(shared, book, 'q-all')).toEqual(seeded);
      // The other instance sees the reconcile was done and does not repeat it.
      expect(await a.check()).toMatchObject({ seeded: 0 });
    } finally {
      await a.stop();
      await b.stop();
      await shared.close();
    }
  });

  it('raises counters to the ledger, never adds to what was counted live since the flush', async () => {
    flush();
    // Counted live before the seed ran: 5000 micro-USD reserved by requests still in flight.
    const [daily] = planQuotaBuckets([book.all.find((q) => q.id === 'q-all')!], 5000).filter(
      (p) => p.window === 'daily',
    );
    await cache.consume([daily!.bucket], NOW);
    await seeder.check();
    const seeded = await counters(cache, book, 'q-all');
    expect(seeded['daily']).toBe(5000);
    expect(seeded['total']).toBe(Math.ceil(1200 + 30 + 13.5 + 4.000001));

    // Seeding the same budgets again (markers lost, counters kept) changes nothing.
    for (const target of seedTargets(book.all)) await cache.delete(seedMarkerKey(target));
    await cache.delete(QUOTA_SEED_EPOCH_KEY);
    expect(await seeder.check()).toMatchObject({ seeded: 5, raisedMicroUsd: 0 });
    expect(await counters(cache, book, 'q-all')).toEqual(seeded);
  });

  it('seeds a quota created later with the spend already in its windows, and leaves the others alone', async () => {
    await seeder.check();
    const gpt = await counters(cache, book, 'q-gpt');
    await store.insertUsage([usage('late', { createdAt: iso(NOW - 1000), costPicoUsd: pico(50) })]);
    setQuotas([
      ...book.all.map((q) =>
        quota(q.id, { subjectKind: q.subjectKind, subjectId: q.subjectId, budgets: budgetsOf(q.id) }),
      ),
      quota('q-team', {
        subjectKind: 'team',
        subjectId: 't1',
        budgets: { route: null, total: null, daily: '2', weekly: null, monthly: null },
      }),
    ]);
    await store.insertUsage([
      usage('team', { teamId: 't1', createdAt: iso(NOW - 2000), costPicoUsd: pico(60) }),
      usage('team-old', { teamId: 't1', createdAt: iso(NOW - 2 * DAY), costPicoUsd: pico(60) }),
    ]);
    expect(await seeder.check()).toMatchObject({ seeded: 1 });
    expect(await counters(cache, book, 'q-team')).toEqual({ daily: 60 });
    expect(await counters(cache, book, 'q-gpt')).toEqual(gpt);

    // Another instance (its own seeder, the same cache) finds the new budget marked.
    const other = new QuotaSeeder({
      cache,
      ledger: store,
      quotas: () => book,
      logger: silentLogger,
      now: () => NOW,
    });
    expect(await other.check()).toMatchObject({ seeded: 0, busy: false });
  });

  it('runs one more pass for a check made while a pass runs, which sees the quotas as of that call', async () => {
    let unblock!: () => void;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    const slow = {
      sumLedgerSpend: async (query: Parameters<ControlPlaneStore['sumLedgerSpend']>[0]) => {
        await blocked;
        return store.sumLedgerSpend(query);
      },
    };
    const seeding = new QuotaSeeder({
      cache,
      ledger: slow,
      quotas: () => book,
      logger: silentLogger,
      now: () => NOW,
    });
    const first = seeding.check();
    await new Promise((resolve) => setTimeout(resolve, 10));
    setQuotas([
      ...book.all.map((q) =>
        quota(q.id, { subjectKind: q.subjectKind, subjectId: q.subjectId, budgets: budgetsOf(q.id) }),
      ),
      quota('q-new', {
        subjectKind: 'user',
        subjectId: 'u-bob',
        budgets: { route: null, total: '1', daily: null, weekly: null, monthly: null },
      }),
    ]);
    const second = seeding.check();
    unblock();
    expect(await first).toMatchObject({ seeded: 5 });
    expect(await second).toMatchObject({ seeded: 1 });
    expect(await counters(cache, book, 'q-new')).toEqual({ total: 7 });
  });

  it('waits while another instance holds the seeding lease', async () => {
    const token = await cache.acquireLease('quota-seed', 60_000);
    expect(await seeder.check()).toEqual({ seeded: 0, raisedMicroUsd: 0, busy: true });
    expect(await counters(cache, book, 'q-gpt')).toEqual({ total: 0 });
    await cache.releaseLease('quota-seed', token!);
    expect(await seeder.check()).toMatchObject({ seeded: 5, busy: false });
  });

  it('marks nothing seeded when the ledger cannot be read, and seeds on the next check', async () => {
    let failing = true;
    const ledger = {
      sumLedgerSpend: (query: Parameters<ControlPlaneStore['sumLedgerSpend']>[0]) =>
        failing ? Promise.reject(new Error('database is down')) : store.sumLedgerSpend(query),
    };
    const flaky = new QuotaSeeder({
      cache,
      ledger,
      quotas: () => book,
      logger: silentLogger,
      now: () => NOW,
    });
    await expect(flaky.check()).rejects.toThrow('database is down');
    expect(await cache.get(QUOTA_SEED_EPOCH_KEY)).toBeNull();
    failing = false;
    expect(await flaky.check()).toMatchObject({ seeded: 5 });
    expect(await counters(cache, book, 'q-gpt')).toEqual({ total: 1230 });
  });
});
