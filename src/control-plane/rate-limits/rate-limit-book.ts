/**
 * Rate limits compiled for the hot path, built once with the snapshot: per subject (org, team,
 * user, key) its limits with the route globs compiled, and the team -> org map the chain needs.
 */
import type {
  ControlPlaneData,
  RateLimitRecord,
  RateLimitSubjectKind,
  RateLimitValues,
  UserKeyRecord,
  UserRecord,
} from '../model';
import { compileGlob } from './rate-limit-entry';

export interface CompiledRateLimit {
  readonly id: string;
  readonly name: string;
  readonly subjectKind: RateLimitSubjectKind;
  readonly subjectId: string;
  /** Null: every request of the subject. */
  readonly route: RegExp | null;
  readonly limits: Readonly<RateLimitValues>;
}

export interface RateLimitBook {
  /** Whether any limit exists (requests skip the cache entirely otherwise). */
  readonly empty: boolean;
  /** The limits along a key's chain, key first, then user, team and org. */
  chain(user: UserRecord, key: UserKeyRecord): readonly CompiledRateLimit[];
}

export function compileRateLimit(record: RateLimitRecord): CompiledRateLimit {
  return Object.freeze({
    id: record.id,
    name: record.name,
    subjectKind: record.subjectKind,
    subjectId: record.subjectId,
    route: record.limits.route === null ? null : compileGlob(record.limits.route),
    limits: Object.freeze({ ...record.limits }),
  });
}

export function buildRateLimitBook(data: Pick<ControlPlaneData, 'rateLimits' | 'teams'>): RateLimitBook {
  const bySubject = new Map<string, CompiledRateLimit[]>();
  for (const record of [...data.rateLimits].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const subject = `${record.subjectKind}:${record.subjectId}`;
    const list = bySubject.get(subject) ?? [];
    list.push(compileRateLimit(record));
    bySubject.set(subject, list);
  }
  const orgOfTeam = new Map(data.teams.map((team) => [team.id, team.orgId]));
  const none: readonly CompiledRateLimit[] = Object.freeze([]);
  return Object.freeze({
    empty: bySubject.size === 0,
    chain(user: UserRecord, key: UserKeyRecord): readonly CompiledRateLimit[] {
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
