/**
 * Importing and exporting the control plane as a bundle (docs/bundle.md). Import validates the
 * whole bundle before anything is written, then saves once, in one transaction.
 */
import type { Bundle } from './bundle';
import { BUNDLE_VERSION, prepareBundle } from './bundle';
import { planImport } from './import-plan';
import { exportPrices } from './import-plan-prices';
import { exportQuotas } from './quotas/plan-quotas';
import { exportRateLimits } from './rate-limits/plan-rate-limits';
import { exportRuleSets } from './rule-sets/plan-rule-sets';
import type { PlanOptions } from './import-plan';
import { readInstanceSettings } from './instance-settings';
import type { ControlPlaneData } from './model';
import type { ControlPlaneStore } from './ports';

export { planImport } from './import-plan';
export type { ImportPlan, PlanOptions } from './import-plan';

export interface ImportOptions extends PlanOptions {
  /** Validate and compute the changes without saving them. */
  dryRun?: boolean;
}

export interface ImportResult {
  changes: string[];
  saved: boolean;
}

/**
 * Throws BundleValidationError (code invalid_request) listing every problem by field path.
 * Not atomic with concurrent admin edits: the plan is made from a read just before the save.
 */
export async function importBundle(
  store: Pick<ControlPlaneStore, 'loadControlPlane' | 'saveControlPlane'>,
  json: unknown,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const bundle = await prepareBundle(json);
  const { next, changes } = planImport(await store.loadControlPlane(), bundle, options);
  if (options.dryRun === true || changes.length === 0) return { changes, saved: false };
  await store.saveControlPlane(next);
  return { changes, saved: true };
}

export interface ExportOptions {
  /** Include credential secrets. Without it `secret` is left out, and importing the result keeps stored secrets. */
  includeSecrets?: boolean;
}

/** A deterministic bundle (sorted by name, members and aliases in configured order). */
export function exportBundle(data: ControlPlaneData, options: ExportOptions = {}): Bundle {
  const byName = <T extends { name: string }>(list: readonly T[]): T[] =>
    [...list].sort((a, b) => compare(a.name, b.name));
  const byLabel = <T extends { label: string }>(list: readonly T[]): T[] =>
    [...list].sort((a, b) => compare(a.label, b.label));
  const providerName = new Map(data.providers.map((p) => [p.id, p.name]));
  const nameOfProvider = (id: string, what: string): string => {
    const name = providerName.get(id);
    // The store's foreign keys make this unreachable; a silent skip would lose data.
    if (name === undefined) throw new Error(`${what} refers to an unknown provider`);
    return name;
  };

  const orgName = new Map(data.orgs.map((o) => [o.id, o.name]));
  const teamName = new Map(data.teams.map((t) => [t.id, t.name]));
  return {
    version: BUNDLE_VERSION,
    settings: readInstanceSettings(data.instanceSettings),
    orgs: byName(data.orgs).map((org) => ({
      name: org.name,
      enabled: org.enabled,
      permissions: [...org.permissions],
      teams: byName(data.teams.filter((t) => t.orgId === org.id)).map((team) => ({
        name: team.name,
        enabled: team.enabled,
        permissions: [...team.permissions],
      })),
    })),
    providers: byName(data.providers).map((provider) => ({
      name: provider.name,
      channel: provider.channel,
      settings: structuredClone(provider.settings),
      enabled: provider.enabled,
      credentials: byLabel(data.credentials.filter((c) => c.providerId === provider.id)).map((c) => ({
        label: c.label,
        // Plaintext: the store opened any sealed secrets on load, and the bundle is the user's own.
        ...(options.includeSecrets === true ? { secret: { ...c.secret } } : {}),
        settings: structuredClone(c.settings),
        weight: c.weight,
        rpm: c.rpm,
        tpm: c.tpm,
        enabled: c.enabled,
      })),
      models: data.providerModels
        .filter((m) => m.providerId === provider.id)
        .sort((a, b) => compare(a.model, b.model))
        .map((m) => ({ model: m.model, display_name: m.displayName, source: m.source, enabled: m.enabled })),
    })),
    routes: byName(data.routes).map((route) => ({
      name: route.name,
      strategy: route.strategy,
      enabled: route.enabled,
      affinity:
        route.affinity === null
          ? null
          : { subject: route.affinity.subject, ttl_seconds: route.affinity.ttlSeconds },
      members: data.routeMembers
        .filter((m) => m.routeId === route.id)
        .sort((a, b) => a.position - b.position)
        .map((m) => {
          const provider = providerName.get(m.providerId);
          // The store's foreign keys make this unreachable; a silent skip would lose data.
          if (provider === undefined)
            throw new Error(`Route "${route.name}" has a member of an unknown provider`);
          return { provider, model: m.model, tier: m.tier, weight: m.weight, enabled: m.enabled };
        }),
    })),
    aliases: [...data.aliases]
      .sort((a, b) => a.position - b.position || compare(a.name, b.name))
      .map((alias) => ({
        name: alias.name,
        target: alias.target,
        kind: alias.kind,
        provider:
          alias.providerId === null ? null : nameOfProvider(alias.providerId, `Alias "${alias.name}"`),
      })),
    users: byName(data.users).map((user) => ({
      name: user.name,
      admin: user.isAdmin,
      enabled: user.enabled,
      org: user.orgId === null ? null : (orgName.get(user.orgId) ?? null),
      team: user.teamId === null ? null : (teamName.get(user.teamId) ?? null),
      permissions: [...user.permissions],
      ...(user.passwordHash === null ? {} : { password_hash: user.passwordHash }),
      keys: byLabel(data.userKeys.filter((k) => k.userId === user.id)).map((k) => ({
        label: k.label,
        digest: k.digest,
        enabled: k.enabled,
        expires_at: k.expiresAt,
        permissions: [...k.permissions],
      })),
    })),
    prices: exportPrices(data),
    rate_limits: exportRateLimits(data),
    quotas: exportQuotas(data),
    rule_sets: exportRuleSets(data),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
