/**
 * Row conversions for the identity records of migration 0008: orgs, teams, and the permission
 * lists (JSON text) that orgs, teams, users and keys carry.
 */
import type { OrgRecord, TeamRecord } from '../../control-plane/model';
import type { Flag, OrgsTable, TeamsTable } from './schema';

const flag = (value: boolean): Flag => (value ? 1 : 0);
const bool = (value: unknown): boolean => Number(value) === 1;

/** An empty grant list is stored as null, so rows written before migration 0008 read the same. */
export function permissionsToText(patterns: readonly string[]): string | null {
  return patterns.length === 0 ? null : JSON.stringify(patterns);
}

export function permissionsFromText(text: string | null | undefined, where: string): string[] {
  if (text === null || text === undefined || text === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`Stored JSON in ${where} is not valid JSON`, { cause: error });
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new Error(`Stored ${where} is not a list of patterns`);
  return value;
}

export const orgToRow = (r: OrgRecord): OrgsTable => ({
  id: r.id,
  name: r.name,
  enabled: flag(r.enabled),
  permissions: permissionsToText(r.permissions),
});

export const orgFromRow = (row: OrgsTable): OrgRecord => ({
  id: row.id,
  name: row.name,
  enabled: bool(row.enabled),
  permissions: permissionsFromText(row.permissions, `orgs.${row.id}.permissions`),
});

export const teamToRow = (r: TeamRecord): TeamsTable => ({
  id: r.id,
  org_id: r.orgId,
  name: r.name,
  enabled: flag(r.enabled),
  permissions: permissionsToText(r.permissions),
});

export const teamFromRow = (row: TeamsTable): TeamRecord => ({
  id: row.id,
  orgId: row.org_id,
  name: row.name,
  enabled: bool(row.enabled),
  permissions: permissionsFromText(row.permissions, `teams.${row.id}.permissions`),
});
