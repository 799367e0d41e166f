import { describe, expect, it } from 'vitest';
import type { QuotaRecord } from '../../control-plane/model';
import { buildQuotaBook } from '../../control-plane/quotas/quota-book';
import { quotaSchema } from '../../control-plane/quotas/quota-entry';
import {
  applicableQuotas,
  planQuotaBuckets,
  QUOTA_WINDOW_MS,
  reservationMicroUsd,
} from './plan-quota-buckets';

const record = (
  id: string,
  subjectKind: QuotaRecord['subjectKind'],
  subjectId: string,
  budgets: Partial<QuotaRecord['budgets']>,
): QuotaRecord => ({
  id,
  name: id,
  subjectKind,
  subjectId,
  budgets: { route: null, total: null, daily: null, weekly: null, monthly: null, ...budgets },
});

const user = { id: 'u1', teamId: 't1', orgId: null } as Parameters<
  ReturnType<typeof buildQuotaBook>['chain']
>[0];
const key = { id: 'k1' } as Parameters<ReturnType<typeof buildQuotaBook>['chain']>[1];

describe('quota bucket planning', () => {
  it('plans one window bucket per budget along the key -> user -> team -> org chain', () => {
    const book = buildQuotaBook({
      teams: [{ id: 't1', orgId: 'o1', name: 't', enabled: true, permissions: [] }],
      quotas: [
        record('org', 'org', 'o1', { monthly: '100' }),
        record('team', 'team', 't1', { weekly: '10.5' }),
        record('user', 'user', 'u1', { daily: '0.000001', total: '2' }),
        record('key', 'key', 'k1', { daily: '1', route: 'claude-*' }),
        record('other', 'user', 'u2', { daily: '1' }),
      ],
    });
    const chain = book.chain(user, key);
    expect(chain.map((q) => q.id)).toEqual(['key', 'user', 'team', 'org']);
    const quotas = applicableQuotas(chain, { requested: 'fast', routeName: 'gpt-fast' });
    expect(quotas.map((q) => q.id)).toEqual(['user', 'team', 'org']);
    const planned = planQuotaBuckets(quotas, 42);
    expect(planned.map((p) => p.bucket)).toEqual([
      { key: 'quota:user:total', limit: 2_000_000, windowMs: QUOTA_WINDOW_MS.total, cost: 42 },
      { key: 'quota:user:daily', limit: 1, windowMs: 86_400_000, cost: 42 },
      { key: 'quota:team:weekly', limit: 10_500_000, windowMs: 7 * 86_400_000, cost: 42 },
      { key: 'quota:org:monthly', limit: 100_000_000, windowMs: 30 * 86_400_000, cost: 42 },
    ]);
    expect(applicableQuotas(chain, { requested: 'claude-x', routeName: null })).toHaveLength(4);
  });

  it('rounds reservations up to whole micro-USD; unpriced reserves nothing', () => {
    expect(reservationMicroUsd(null)).toBe(0);
    expect(reservationMicroUsd(0n)).toBe(0);
    expect(reservationMicroUsd(1n)).toBe(1);
    expect(reservationMicroUsd(1_000_000n)).toBe(1);
    expect(reservationMicroUsd(1_000_001n)).toBe(2);
  });

  it('an empty book skips the chain', () => {
    const book = buildQuotaBook({ teams: [], quotas: [] });
    expect(book.empty).toBe(true);
    expect(book.chain(user, key)).toEqual([]);
  });
});

describe('quota entries', () => {
  it('takes USD budgets as decimal strings or numbers, canonicalised', () => {
    const entry = quotaSchema.parse({ name: 'q', user: 'alice', daily: '2.50', monthly: 40 });
    expect(entry).toMatchObject({ daily: '2.5', monthly: '40', total: null, weekly: null, route: null });
  });

  it('rejects negative, over-precise and subject-less budgets', () => {
    expect(quotaSchema.safeParse({ name: 'q', user: 'a', daily: -1 }).success).toBe(false);
    expect(quotaSchema.safeParse({ name: 'q', user: 'a', daily: '0.0000001' }).success).toBe(false);
    expect(quotaSchema.safeParse({ name: 'q', daily: '1' }).success).toBe(false);
    expect(quotaSchema.safeParse({ name: 'q', org: 'o', user: 'a' }).success).toBe(false);
  });
});
