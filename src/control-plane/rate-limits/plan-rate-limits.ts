/**
 * Merging a bundle's `rate_limits` into the control plane and exporting them back. Records are
 * matched by name; subjects are named in the bundle and stored by id, so renaming a user, key,
 * team or org carries its limits along. A limit whose subject was deleted goes with it (pruned on
 * every import and admin write, and never exported or enforced meanwhile).
 */
import type { BundleIssue } from '../bundle-errors';
import type { ControlPlaneData, RateLimitRecord, RateLimitSubjectKind } from '../model';
import { upsert } from '../plan-merge';
import { valuesOfEntry, type RateLimitEntry } from './rate-limit-entry';

type Subject = { subjectKind: RateLimitSubjectKind; subjectId: string };

export function planRateLimits(
  next: ControlPlaneData,
  entries: readonly RateLimitEntry[],
  changes: string[],
  issues: BundleIssue[],
): void {
  const byName = new Map(next.rateLimits.map((limit) => [limit.name, limit]));
  entries.forEach((entry, index) => {
    const subject = resolveSubject(next, entry, ['rate_limits', index], issues);
    if (subject === null) return;
    const fields: Partial<RateLimitRecord> = { ...subject, limits: valuesOfEntry(entry) };
    upsert(next.rateLimits, byName, entry.name, fields, `rate limit "${entry.name}"`, changes);
  });
  const before = next.rateLimits.length;
  pruneRateLimits(next);
  if (next.rateLimits.length < before) changes.push('delete rate limits of deleted subjects');
}

/** Drops the limits whose subject no longer exists. */
export function pruneRateLimits(data: ControlPlaneData): ControlPlaneData {
  data.rateLimits = data.rateLimits.filter((limit) => subjectNames(data, limit) !== null);
  return data;
}

/** The subject an entry names (shared with quotas), or null with an issue pushed. */
export function resolveSubject(
  data: ControlPlaneData,
  entry: SubjectNames,
  path: (string | number)[],
  issues: BundleIssue[],
): Subject | null {
  const missing = (field: string, message: string): null => {
    issues.push({ path: [...path, field], message });
    return null;
  };
  if (entry.org !== undefined) {
    const org = data.orgs.find((o) => o.name === entry.org);
    if (org === undefined) return missing('org', `Unknown org "${entry.org}"`);
    if (entry.team === undefined) return { subjectKind: 'org', subjectId: org.id };
    const team = data.teams.find((t) => t.orgId === org.id && t.name === entry.team);
    if (team === undefined) return missing('team', `Unknown team "${entry.team}" of org "${org.name}"`);
    return { subjectKind: 'team', subjectId: team.id };
  }
  const user = data.users.find((u) => u.name === entry.user);
  if (user === undefined) return missing('user', `Unknown user "${entry.user ?? ''}"`);
  if (entry.key === undefined) return { subjectKind: 'user', subjectId: user.id };
  const key = data.userKeys.find((k) => k.userId === user.id && k.label === entry.key);
  if (key === undefined) return missing('key', `Unknown key "${entry.key}" of user "${user.name}"`);
  return { subjectKind: 'key', subjectId: key.id };
}

export type SubjectNames = Pick<RateLimitEntry, 'org' | 'team' | 'user' | 'key'>;

/** The subject's names in bundle shape, or null when it no longer exists. */
export function subjectNames(
  data: ControlPlaneData,
  limit: Pick<RateLimitRecord, 'subjectKind' | 'subjectId'>,
): SubjectNames | null {
  switch (limit.subjectKind) {
    case 'org': {
      const org = data.orgs.find((o) => o.id === limit.subjectId);
      return org === undefined ? null : { org: org.name };
    }
    case 'team': {
      const team = data.teams.find((t) => t.id === limit.subjectId);
      const org = data.orgs.find((o) => o.id === team?.orgId);
      return team === undefined || org === undefined ? null : { org: org.name, team: team.name };
    }
    case 'user': {
      const user = data.users.find((u) => u.id === limit.subjectId);
      return user === undefined ? null : { user: user.name };
    }
    case 'key': {
      const key = data.userKeys.find((k) => k.id === limit.subjectId);
      const user = data.users.find((u) => u.id === key?.userId);
      return key === undefined || user === undefined ? null : { user: user.name, key: key.label };
    }
  }
}

/** Rate limits in bundle shape, by name; limits of deleted subjects are left out. */
export function exportRateLimits(data: ControlPlaneData): RateLimitEntry[] {
  const entries: RateLimitEntry[] = [];
  for (const limit of data.rateLimits) {
    const names = subjectNames(data, limit);
    if (names === null) continue;
    const { route, rpm, rpd, tpm, tpd, maxConcurrent } = limit.limits;
    entries.push({ name: limit.name, ...names, route, rpm, rpd, tpm, tpd, max_concurrent: maxConcurrent });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
