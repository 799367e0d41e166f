import { describe, expect, it } from 'vitest';
import { CacheUnavailableError, type CacheBackend } from '../../control-plane/cache-port';
import type { QuotaRecord, RateLimitRecord, UserKeyRecord, UserRecord } from '../../control-plane/model';
import { emptyControlPlaneData } from '../../control-plane/model';
import { limitChain } from '../../control-plane/quotas/limit-chain';
import { buildQuotaBook, compileQuota } from '../../control-plane/quotas/quota-book';
import { buildRateLimitBook, compileRateLimit } from '../../control-plane/rate-limits/rate-limit-book';
import { GatewayError } from '../../core/errors';
import { MemoryCacheBackend } from '../../store/cache/memory/memory-cache';
import { planBuckets } from '../rate-limits/plan-buckets';
import { rateLimitStates } from '../rate-limits/rate-limit-state';
import { LimitStateReader } from './limit-state-reader';
import { planQuotaBuckets } from './plan-quota-buckets';
import { quotaStates } from './quota-state';

const DAY = 86_400_000;
/** 2026-11-25T09:30:15.000Z, a Wednesday. */
const NOW = Date.UTC(2026, 10, 25, 9, 30, 15);

const quota = (id: string, budgets: Partial<QuotaRecord['budgets']>, subject = 'u1'): QuotaRecord => ({
  id,
  name: `${id}-name`,
  subjectKind: subject === 'u1' ? 'user' : 'key',
  subjectId: subject,
  budgets: { route: null, total: null, daily: null, weekly: null, monthly: null, ...budgets },
});
const rateLimit = (id: string, limits: Partial<RateLimitRecord['limits']>): RateLimitRecord => ({
  id,
  name: `${id}-name`,
  subjectKind: 'user',
  subjectId: 'u1',
  limits: { route: null, rpm: null, rpd: null, tpm: null, tpd: null, maxConcurrent: null, ...limits },
});

describe('quota state', () => {
  it('reports each budget window: limit, spent, remaining as exact USD, and the window times', () => {
    const q = compileQuota(quota('q1', { total: '50', daily: '2.5', weekly: '0.000003', route: 'gpt-*' }));
    const counts = new Map([
      ['quota:q1:total', 1_234_567],
      ['quota:q1:daily', 7],
      ['quota:q1:weekly', 5],
    ]);
    const [state] = quotaStates([q], (b) => counts.get(b.key) ?? 0, NOW);
    expect(state).toEqual({
      name: 'q1-name',
      subject: 'user',
      route: 'gpt-*',
      windows: [
        {
          window: 'total',
          limit_usd: '50',
          spent_usd: '1.234567',
          remaining_usd: '48.765433',
          window_start: null,
          resets_at: null,
        },
        {
          window: 'daily',
          limit_usd: '2.5',
          spent_usd: '0.000007',
          remaining_usd: '2.499993',
          window_start: '2026-11-25T00:00:00.000Z',
          resets_at: '2026-11-26T00:00:00.000Z',
        },
        {
          // Overspent (usage beyond a reservation is charged afterwards): remaining stops at 0.
          window: 'weekly',
          limit_usd: '0.000003',
          spent_usd: '0.000005',
          remaining_usd: '0',
          // Weekly windows start on Thursdays (the epoch's weekday).
          window_start: '2026-11-19T00:00:00.000Z',
          resets_at: '2026-11-26T00:00:00.000Z',
        },
      ],
    });
  });

  it('keeps quotas without budgets, and nothing counted reads as nothing spent', () => {
    const states = quotaStates(
      [compileQuota(quota('none', {})), compileQuota(quota('m', { monthly: '30' }))],
      () => 0,
      NOW,
    );
    expect(states.map((s) => s.windows.length)).toEqual([0, 1]);
    expect(states[1]?.windows[0]).toMatchObject({ spent_usd: '0', remaining_usd: '30' });
    const start = Date.parse(states[1]?.windows[0]?.window_start ?? '');
    expect(start % (30 * DAY)).toBe(0);
    expect(start).toBeLessThanOrEqual(NOW);
    expect(Date.parse(states[1]?.windows[0]?.resets_at ?? '')).toBe(start + 30 * DAY);
  });
});

describe('rate-limit state', () => {
  it('reports every kind a limit sets, in admission order, with the gauge undated', () => {
    const limit = compileRateLimit(rateLimit('r1', { rpm: 10, tpd: 1000, maxConcurrent: 2, route: 'x?' }));
    const counts = new Map([
      ['ratelimit:r1:rpm', 3],
      ['ratelimit:r1:tpd', 1500],
      ['ratelimit:r1:concurrent', 1],
    ]);
    expect(rateLimitStates([limit], (b) => counts.get(b.key) ?? 0, NOW)).toEqual([
      {
        name: 'r1-name',
        subject: 'user',
        route: 'x?',
        limits: [
          {
            kind: 'rpm',
            limit: 10,
            used: 3,
            remaining: 7,
            window_start: '2026-11-25T09:30:00.000Z',
            resets_at: '2026-11-25T09:31:00.000Z',
          },
          {
            kind: 'tpd',
            limit: 1000,
            used: 1500,
            remaining: 0,
            window_start: '2026-11-25T00:00:00.000Z',
            resets_at: '2026-11-26T00:00:00.000Z',
          },
          { kind: 'max_concurrent', limit: 2, used: 1, remaining: 1, window_start: null, resets_at: null },
        ],
      },
    ]);
  });
});

describe('LimitStateReader', () => {
  it('reads exactly the counters admission and settlement wrote', async () => {
    const cache = new MemoryCacheBackend({ sweepIntervalMs: 0 });
    const quotas = [compileQuota(quota('q', { daily: '1', total: '10' }))];
    const limits = [compileRateLimit(rateLimit('r', { rpm: 5, tpm: 100, maxConcurrent: 3 }))];
    // Two admissions as the pipeline makes them; the first is settled (refund 400 -> 150 spent).
    for (let i = 0; i < 2; i++) {
      const admitted = await cache.consume(
        [
          ...planQuotaBuckets(quotas, 550).map((p) => p.bucket),
          ...planBuckets(limits, 20).map((p) => p.bucket),
        ],
        NOW,
      );
      expect(admitted.allowed).toBe(true);
    }
    await cache.release(
      planQuotaBuckets(quotas, 400).map((p) => p.bucket),
      NOW,
    );
    await cache.release(
      planBuckets(limits, 0)
        .filter((p) => p.kind === 'max_concurrent')
        .map((p) => p.bucket),
      NOW,
    );
    const state = await new LimitStateReader({ cache, now: () => NOW + 1000 }).read(quotas, limits);
    expect(state.quotas[0]?.windows.map((w) => [w.window, w.spent_usd, w.remaining_usd])).toEqual([
      ['total', '0.0007', '9.9993'],
      ['daily', '0.0007', '0.9993'],
    ]);
    expect(state.rate_limits[0]?.limits.map((l) => [l.kind, l.used, l.remaining])).toEqual([
      ['rpm', 2, 3],
      ['tpm', 40, 60],
      ['max_concurrent', 1, 2],
    ]);
    // A minute later the minute windows are new; the day's spend stays.
    const later = await new LimitStateReader({ cache, now: () => NOW + 60_000 }).read(quotas, limits);
    expect(later.rate_limits[0]?.limits.map((l) => l.used)).toEqual([0, 0, 1]);
    expect(later.quotas[0]?.windows[1]?.spent_usd).toBe('0.0007');
    await cache.close();
  });

  it('answers 503 cache_unavailable when the cache is down or absent, and needs no cache for no limits', async () => {
    const closed = new MemoryCacheBackend({ sweepIntervalMs: 0 });
    await closed.close();
    const quotas = [compileQuota(quota('q', { daily: '1' }))];
    for (const cache of [closed, undefined] as (CacheBackend | undefined)[]) {
      const error = await new LimitStateReader({ cache, now: () => NOW })
        .read(quotas, [])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: 'cache_unavailable', status: 503 });
      expect((error as GatewayError).cause).toBeInstanceOf(CacheUnavailableError);
    }
    expect(await new LimitStateReader({ cache: closed, now: () => NOW }).read([], [])).toEqual({
      quotas: [],
      rate_limits: [],
    });
    const bug: CacheBackend = Object.assign(new MemoryCacheBackend({ sweepIntervalMs: 0 }), {
      peek: () => Promise.reject(new Error('a bug')),
    });
    await expect(new LimitStateReader({ cache: bug, now: () => NOW }).read(quotas, [])).rejects.toThrow(
      'a bug',
    );
  });
});

describe('limit chain (admin view)', () => {
  it('lists the same subjects in the same order as the books admission reads', () => {
    const data = emptyControlPlaneData();
    data.teams.push({ id: 't1', orgId: 'o1', name: 't', enabled: true, permissions: [] });
    const user = { id: 'u1', teamId: 't1', orgId: null } as UserRecord;
    const keys = [{ id: 'k1' }, { id: 'k2' }] as UserKeyRecord[];
    const subjects: [QuotaRecord['subjectKind'], string][] = [
      ['org', 'o1'],
      ['team', 't1'],
      ['user', 'u1'],
      ['key', 'k1'],
      ['key', 'k2'],
      ['user', 'u2'],
      ['org', 'o2'],
    ];
    subjects.forEach(([kind, id], i) => {
      for (const suffix of ['b', 'a']) {
        data.quotas.push({ ...quota(`q${i}${suffix}`, { daily: '1' }), subjectKind: kind, subjectId: id });
        data.rateLimits.push({
          ...rateLimit(`r${i}${suffix}`, { rpm: 1 }),
          subjectKind: kind,
          subjectId: id,
        });
      }
    });
    const quotaBook = buildQuotaBook(data);
    const rateLimitBook = buildRateLimitBook(data);
    for (const key of keys) {
      const chain = limitChain(data, user, [key.id]);
      expect(chain.quotas.map((q) => q.id)).toEqual(quotaBook.chain(user, key).map((q) => q.id));
      expect(chain.rateLimits.map((r) => r.id)).toEqual(rateLimitBook.chain(user, key).map((r) => r.id));
    }
    expect(limitChain(data, user, ['k1', 'k2']).quotas.map((q) => q.id)).toEqual([
      'q3a',
      'q3b',
      'q4a',
      'q4b',
      'q2a',
      'q2b',
      'q1a',
      'q1b',
      'q0a',
      'q0b',
    ]);
    // A user without a team belongs to its own org, if any.
    const loner = { id: 'u2', teamId: null, orgId: 'o2' } as UserRecord;
    expect(limitChain(data, loner, []).rateLimits.map((r) => r.id)).toEqual(['r5a', 'r5b', 'r6a', 'r6b']);
  });
});
