/**
 * Quotas compiled for the hot path, built once with the snapshot: per subject its budgets in
 * micro-USD with the route globs compiled (the same chain as rate limits: key, user, team, org).
 */
import type {
  ControlPlaneData,
  QuotaRecord,
  RateLimitSubjectKind,
  UserKeyRecord,
  UserRecord,
} from '../model';
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

export interface QuotaBook {
  readonly empty: boolean;
  /** Every quota, by name (quota counters are rebuilt from the ledger for each: pipeline/quota-seeding). */
  readonly all: readonly CompiledQuota[];
  /** The quotas along a key's chain, key first, then user, team and org. */
  chain(user: UserRecord, key: UserKeyRecord): readonly CompiledQuota[];
}

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
  const bySubject = new Map<string, CompiledQuota[]>();
  const all: CompiledQuota[] = [];
  for (const record of [...data.quotas].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const subject = `${record.subjectKind}:${record.subjectId}`;
    const list = bySubject.get(subject) ?? [];
    const quota = compileQuota(record);
    list.push(quota);
    all.push(quota);
    bySubject.set(subject, list);
  }
  const orgOfTeam = new Map(data.teams.map((team) => [team.id, team.orgId]));
  const none: readonly CompiledQuota[] = Object.freeze([]);
  return Object.freeze({
    empty: bySubject.size === 0,
    all: Object.freeze(all),
    chain(user: UserRecord, key: UserKeyRecord): readonly CompiledQuota[] {
      if (bySubject.size === 0) return none;
      const orgId = (user.teamId === null ? undefined : orgOfTeam.get(user.teamId)) ?? user.orgId;
      return [
        ...(bySubject.get(`key:${key.id}`) ?? []),
        ...(bySubject.get(`user:${user.id}`) ?? []),
        ...(user.teamId === null ? [] : (bySubject.get(`team:${user.teamId}`) ?? [])),
        ...(orgId === null ? [] : (bySubject.get(`org:${orgId}`) ?? [])),
      ];
    },
  });
}
