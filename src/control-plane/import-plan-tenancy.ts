/**
 * The identity part of an import plan: orgs with their teams, and where each user sits in them.
 * Users refer to their org and team by name; a team is named within its org. Grants and placements
 * left out of a bundle keep the stored ones, so bundles written before they existed import
 * unchanged.
 */
import { newId } from '../core/ids';
import type { BundleIssue } from './bundle-errors';
import type { PreparedBundle } from './bundle';
import type { ControlPlaneData, OrgRecord, TeamRecord } from './model';
import { replaceChildren, upsert } from './plan-merge';

type BundleUser = PreparedBundle['users'][number];

export function planOrgs(next: ControlPlaneData, bundle: PreparedBundle, changes: string[]): void {
  const orgs = new Map(next.orgs.map((org) => [org.name, org]));
  for (const entry of bundle.orgs) {
    const permissions = entry.permissions ?? orgs.get(entry.name)?.permissions ?? [];
    const org = upsert<OrgRecord>(
      next.orgs,
      orgs,
      entry.name,
      { enabled: entry.enabled, permissions },
      `org "${entry.name}"`,
      changes,
    );
    if (entry.teams === undefined) continue;
    const old = new Map(next.teams.filter((t) => t.orgId === org.id).map((t) => [t.name, t]));
    const replacement = entry.teams.map((t): TeamRecord => ({
      id: old.get(t.name)?.id ?? newId(),
      orgId: org.id,
      name: t.name,
      enabled: t.enabled,
      permissions: t.permissions ?? old.get(t.name)?.permissions ?? [],
    }));
    replaceChildren(
      next,
      'teams',
      org.id,
      (t) => t.orgId,
      replacement,
      changes,
      (t) => `team "${entry.name}/${t.name}"`,
    );
  }
}

/** The org and team ids a bundle user names; unknown names are reported at the user's path. */
export function placeUser(
  next: ControlPlaneData,
  entry: BundleUser,
  u: number,
  issues: BundleIssue[],
): { orgId: string | null; teamId: string | null } {
  if (entry.org === undefined) {
    const stored = next.users.find((user) => user.name === entry.name);
    return { orgId: stored?.orgId ?? null, teamId: stored?.teamId ?? null };
  }
  if (entry.org === null) return { orgId: null, teamId: null };
  const org = next.orgs.find((o) => o.name === entry.org);
  if (org === undefined) {
    issues.push({ path: ['users', u, 'org'], message: `Unknown org "${entry.org}"` });
    return { orgId: null, teamId: null };
  }
  if (entry.team === undefined || entry.team === null) return { orgId: org.id, teamId: null };
  const team = next.teams.find((t) => t.orgId === org.id && t.name === entry.team);
  if (team === undefined) {
    issues.push({ path: ['users', u, 'team'], message: `Org "${org.name}" has no team "${entry.team}"` });
    return { orgId: org.id, teamId: null };
  }
  return { orgId: org.id, teamId: team.id };
}

/** Users must not be left in an org or team the plan deleted. */
export function checkPlacements(next: ControlPlaneData, issues: BundleIssue[]): void {
  const orgIds = new Set(next.orgs.map((o) => o.id));
  const teams = new Map(next.teams.map((t) => [t.id, t]));
  for (const user of next.users) {
    const team = user.teamId === null ? null : teams.get(user.teamId);
    if (team === undefined || (user.orgId !== null && !orgIds.has(user.orgId)))
      issues.push({
        path: ['users'],
        message: `User "${user.name}" is still in the team or org being removed; move the user first`,
      });
    else if (team !== null && team.orgId !== user.orgId)
      issues.push({ path: ['users'], message: `User "${user.name}": the team is not in the user's org` });
  }
}
