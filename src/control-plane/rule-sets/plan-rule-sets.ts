/**
 * Merging a bundle's `rule_sets` into the control plane and exporting them back (matched by name;
 * a listed rule set is replaced whole, unlisted ones are kept), and the provider attachments: a
 * provider's `rule_sets` setting names rule sets, in the order they apply.
 */
import type { BundleIssue } from '../bundle-errors';
import type { ControlPlaneData, ProviderRecord, RuleSetRecord } from '../model';
import { upsert } from '../plan-merge';
import { entryOfRecord, rulesOfEntry, type RuleSetEntry } from './rule-set-entry';

/** The provider setting that lists attached rule sets by name. */
export const RULE_SETS_SETTING = 'rule_sets';

export function planRuleSets(
  next: ControlPlaneData,
  entries: readonly RuleSetEntry[],
  changes: string[],
): void {
  const byName = new Map(next.ruleSets.map((set) => [set.name, set]));
  for (const entry of entries) {
    const fields: Partial<RuleSetRecord> = { description: entry.description, rules: rulesOfEntry(entry) };
    upsert(next.ruleSets, byName, entry.name, fields, `rule set "${entry.name}"`, changes);
  }
}

/** Rule sets in bundle shape, by name. */
export function exportRuleSets(data: ControlPlaneData): RuleSetEntry[] {
  return data.ruleSets.map(entryOfRecord).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The rule-set names a provider attaches, in order (the settings schema validated the shape). */
export function attachedRuleSets(provider: Pick<ProviderRecord, 'settings'>): readonly string[] {
  const value = provider.settings[RULE_SETS_SETTING];
  return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
}

/** Names of the providers that attach the rule set `name`. */
export function providersAttaching(data: ControlPlaneData, name: string): string[] {
  return data.providers.filter((p) => attachedRuleSets(p).includes(name)).map((p) => p.name);
}

/** Every rule set a bundle's providers attach must exist once the bundle is merged. */
export function checkAttachments(
  next: ControlPlaneData,
  providers: readonly { settings: Record<string, unknown> }[],
  issues: BundleIssue[],
): void {
  const known = new Set(next.ruleSets.map((set) => set.name));
  providers.forEach((provider, p) =>
    attachedRuleSets(provider).forEach((name, i) => {
      if (!known.has(name))
        issues.push({
          path: ['providers', p, 'settings', RULE_SETS_SETTING, i],
          message: `Unknown rule set "${name}"`,
        });
    }),
  );
}

/** Renaming a rule set carries its attachments along. */
export function renameAttachments(data: ControlPlaneData, from: string, to: string): void {
  for (const provider of data.providers) {
    const names = attachedRuleSets(provider);
    if (!names.includes(from)) continue;
    provider.settings = {
      ...provider.settings,
      [RULE_SETS_SETTING]: names.map((name) => (name === from ? to : name)),
    };
  }
}
