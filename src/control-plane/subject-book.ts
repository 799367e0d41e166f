/**
 * Records attached to a subject (rate limits, quotas), compiled once per snapshot and looked up
 * along a key's chain: key first, then its user, the user's team and the org (the team's org, else
 * the user's own). Built with the snapshot; the hot path only reads it.
 */
import type { ControlPlaneData, RateLimitSubjectKind, UserKeyRecord, UserRecord } from './model';

export interface SubjectRecord {
  name: string;
  subjectKind: RateLimitSubjectKind;
  subjectId: string;
}

export interface SubjectBook<C> {
  /** Whether any record exists (requests skip the cache entirely otherwise). */
  readonly empty: boolean;
  /** Every compiled record, by name. */
  readonly all: readonly C[];
  /** The records along a key's chain, key first, then user, team and org; by name within each. */
  chain(user: UserRecord, key: UserKeyRecord): readonly C[];
}

export function buildSubjectBook<R extends SubjectRecord, C>(
  records: readonly R[],
  teams: ControlPlaneData['teams'],
  compile: (record: R) => C,
): SubjectBook<C> {
  const bySubject = new Map<string, C[]>();
  const all: C[] = [];
  for (const record of [...records].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const subject = `${record.subjectKind}:${record.subjectId}`;
    const compiled = compile(record);
    all.push(compiled);
    bySubject.set(subject, [...(bySubject.get(subject) ?? []), compiled]);
  }
  const orgOfTeam = new Map(teams.map((team) => [team.id, team.orgId]));
  const none: readonly C[] = Object.freeze([]);
  return Object.freeze({
    empty: bySubject.size === 0,
    all: Object.freeze(all),
    chain(user: UserRecord, key: UserKeyRecord): readonly C[] {
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
