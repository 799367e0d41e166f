/**
 * The quotas and rate limits along a user's chain, read from the control-plane records (the admin
 * API's view, which also covers disabled users): the given keys, then the user, its team and its
 * org — the same subjects, in the same order, as the snapshot's books give admission
 * (quota-book.ts, rate-limit-book.ts).
 */
import type { ControlPlaneData, QuotaRecord, RateLimitRecord, UserRecord } from '../model';

export interface LimitChain {
  quotas: QuotaRecord[];
  rateLimits: RateLimitRecord[];
}

/** `subjectKind:subjectId` of every subject on the chain, in chain order. */
export function chainSubjects(
  data: Pick<ControlPlaneData, 'teams'>,
  user: UserRecord,
  keyIds: readonly string[],
): string[] {
  const team = user.teamId === null ? undefined : data.teams.find((t) => t.id === user.teamId);
  const orgId = team?.orgId ?? user.orgId;
  return [
    ...keyIds.map((id) => `key:${id}`),
    `user:${user.id}`,
    ...(user.teamId === null ? [] : [`team:${user.teamId}`]),
    ...(orgId === null ? [] : [`org:${orgId}`]),
  ];
}

function along<T extends QuotaRecord | RateLimitRecord>(records: readonly T[], subjects: string[]): T[] {
  const position = new Map(subjects.map((subject, i) => [subject, i]));
  const rank = (record: T): number => position.get(`${record.subjectKind}:${record.subjectId}`) ?? -1;
  return records
    .filter((record) => rank(record) >= 0)
    .sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The limits of `user` and of the keys `keyIds` (pass all of the user's keys for the whole picture). */
export function limitChain(data: ControlPlaneData, user: UserRecord, keyIds: readonly string[]): LimitChain {
  const subjects = chainSubjects(data, user, keyIds);
  return {
    quotas: along(data.quotas, subjects),
    rateLimits: along(data.rateLimits, subjects),
  };
}
