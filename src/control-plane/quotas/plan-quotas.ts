/**
 * Merging a bundle's `quotas` into the control plane and exporting them back, exactly like rate
 * limits: matched by name, subjects named in the bundle and stored by id, and a quota whose subject
 * was deleted goes with it.
 */
import type { BundleIssue } from '../bundle-errors';
import type { ControlPlaneData, QuotaRecord } from '../model';
import { upsert } from '../plan-merge';
import { resolveSubject, subjectNames } from '../rate-limits/plan-rate-limits';
import { budgetsOfEntry, type QuotaEntry } from './quota-entry';

export function planQuotas(
  next: ControlPlaneData,
  entries: readonly QuotaEntry[],
  changes: string[],
  issues: BundleIssue[],
): void {
  const byName = new Map(next.quotas.map((quota) => [quota.name, quota]));
  entries.forEach((entry, index) => {
    const subject = resolveSubject(next, entry, ['quotas', index], issues);
    if (subject === null) return;
    const fields: Partial<QuotaRecord> = { ...subject, budgets: budgetsOfEntry(entry) };
    upsert(next.quotas, byName, entry.name, fields, `quota "${entry.name}"`, changes);
  });
  const before = next.quotas.length;
  pruneQuotas(next);
  if (next.quotas.length < before) changes.push('delete quotas of deleted subjects');
}

/** Drops the quotas whose subject no longer exists. */
export function pruneQuotas(data: ControlPlaneData): ControlPlaneData {
  data.quotas = data.quotas.filter((quota) => subjectNames(data, quota) !== null);
  return data;
}

/** Quotas in bundle shape, by name; quotas of deleted subjects are left out. */
export function exportQuotas(data: ControlPlaneData): QuotaEntry[] {
  const entries: QuotaEntry[] = [];
  for (const quota of data.quotas) {
    const names = subjectNames(data, quota);
    if (names === null) continue;
    const { route, total, daily, weekly, monthly } = quota.budgets;
    entries.push({ name: quota.name, ...names, route, total, daily, weekly, monthly });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
