/**
 * Quotas compiled for the hot path, built once with the snapshot: per subject its budgets in
 * micro-USD with the route globs compiled (the same chain as rate limits: key, user, team, org).
 */
import type { ControlPlaneData, QuotaRecord, RateLimitSubjectKind } from '../model';
import { buildSubjectBook, type SubjectBook } from '../subject-book';
import { scaleDecimal } from '../pricing/money';
import { compileGlob } from '../rate-limits/rate-limit-entry';

export type QuotaWindow = 'total' | 'daily' | 'weekly' | 'monthly';
export const QUOTA_WINDOWS: readonly QuotaWindow[] = ['total', 'daily', 'weekly', 'monthly'];

export interface CompiledQuota {
  readonly id: string;
  readonly name: string;
  readonly subjectKind: RateLimitSubjectKind;
  readonly subjectId: string;
  /** Null: every request of the subject. */
  readonly route: RegExp | null;
  /** The route glob as configured (what state reads show). */
  readonly routeGlob: string | null;
  /** Budgets in micro-USD; null = no budget of that window. */
  readonly microUsd: Readonly<Record<QuotaWindow, number | null>>;
}

export type QuotaBook = SubjectBook<CompiledQuota>;

const micro = (usd: string | null): number | null => (usd === null ? null : Number(scaleDecimal(usd, 6)));

export function compileQuota(record: QuotaRecord): CompiledQuota {
  const { route, total, daily, weekly, monthly } = record.budgets;
  return Object.freeze({
    id: record.id,
    name: record.name,
    subjectKind: record.subjectKind,
    subjectId: record.subjectId,
    route: route === null ? null : compileGlob(route),
    routeGlob: route,
    microUsd: Object.freeze({
      total: micro(total),
      daily: micro(daily),
      weekly: micro(weekly),
      monthly: micro(monthly),
    }),
  });
}

export function buildQuotaBook(data: Pick<ControlPlaneData, 'quotas' | 'teams'>): QuotaBook {
  return buildSubjectBook(data.quotas, data.teams, compileQuota);
}
