/**
 * Merging a bundle into the current control plane, by name. Pure: it computes the next state and
 * a human-readable change list; the caller saves it (one transaction) or shows it (dry run).
 */
import { newId } from '../core/ids';
import { DEFAULT_INSTANCE_SETTINGS } from './instance-settings';
import { BundleValidationError } from './bundle-errors';
import type { BundleIssue } from './bundle-errors';
import type { PreparedBundle } from './bundle';
import { checkPlacements, placeUser, planOrgs } from './import-plan-tenancy';
import { replaceChildren, stableJson, upsert } from './plan-merge';
import { planPrices } from './import-plan-prices';
import { planQuotas } from './quotas/plan-quotas';
import { planRateLimits } from './rate-limits/plan-rate-limits';
import { checkAttachments, planRuleSets } from './rule-sets/plan-rule-sets';
import type {
  AliasKind,
  AliasRecord,
  ControlPlaneData,
  CredentialRecord,
  ProviderModelRecord,
  ProviderRecord,
  RouteMemberRecord,
  RouteRecord,
  UserKeyRecord,
} from './model';

export interface ImportPlan {
  next: ControlPlaneData;
  /** One line per created, updated or deleted record; empty when the bundle changes nothing. */
  changes: string[];
}

export interface PlanOptions {
  /** Creation time for new users and keys (tests pin it). */
  now?: Date;
}

export function planImport(
  current: ControlPlaneData,
  bundle: PreparedBundle,
  options: PlanOptions = {},
): ImportPlan {
  const next = structuredClone(current);
  const changes: string[] = [];
  const issues: BundleIssue[] = [];
  const now = (options.now ?? new Date()).toISOString();

  const providers = new Map(next.providers.map((p) => [p.name, p]));
  bundle.providers.forEach((entry, p) => {
    const fields = { channel: entry.channel, settings: entry.settings, enabled: entry.enabled };
    const provider = upsert(
      next.providers,
      providers,
      entry.name,
      fields,
      `provider "${entry.name}"`,
      changes,
    );
    if (entry.models !== undefined) {
      const oldModels = new Map(
        next.providerModels.filter((m) => m.providerId === provider.id).map((m) => [m.model, m]),
      );
      const models = entry.models.map((m): ProviderModelRecord => ({
        id: oldModels.get(m.model)?.id ?? newId(),
        providerId: provider.id,
        model: m.model,
        displayName: m.display_name,
        source: m.source,
        enabled: m.enabled,
        createdAt: oldModels.get(m.model)?.createdAt ?? now,
      }));
      replaceChildren(
        next,
        'providerModels',
        provider.id,
        (m) => m.providerId,
        models,
        changes,
        (m) => `model "${entry.name}/${m.model}"`,
      );
    }
    if (entry.credentials === undefined) return;
    const old = new Map(
      next.credentials.filter((c) => c.providerId === provider.id).map((c) => [c.label, c]),
    );
    const replacement = entry.credentials.map((c, i): CredentialRecord | undefined => {
      const before = old.get(c.label);
      const secret = c.secret ?? before?.secret;
      if (secret === undefined) {
        issues.push({
          path: ['providers', p, 'credentials', i, 'secret'],
          message:
            'Required for a new credential (a bundle exported without secrets can only update existing ones)',
        });
        return undefined;
      }
      return {
        id: before?.id ?? newId(),
        providerId: provider.id,
        label: c.label,
        secret,
        settings: c.settings,
        weight: c.weight,
        rpm: c.rpm,
        tpm: c.tpm,
        enabled: c.enabled,
      };
    });
    replaceChildren(
      next,
      'credentials',
      provider.id,
      (c) => c.providerId,
      replacement,
      changes,
      (c) => `credential "${entry.name}/${c.label}"`,
    );
  });

  const routes = new Map(next.routes.map((r) => [r.name, r]));
  bundle.routes.forEach((entry, r) => {
    const affinity =
      entry.affinity === null
        ? null
        : { subject: entry.affinity.subject, ttlSeconds: entry.affinity.ttl_seconds };
    const fields = { strategy: entry.strategy, enabled: entry.enabled, affinity };
    const route = upsert(next.routes, routes, entry.name, fields, `route "${entry.name}"`, changes);
    if (entry.members === undefined) return;
    // Members have no name: an existing member with the same provider and model keeps its id.
    const unused = next.routeMembers.filter((m) => m.routeId === route.id);
    const replacement = entry.members.map((m, i): RouteMemberRecord | undefined => {
      const provider = providers.get(m.provider);
      if (provider === undefined) {
        issues.push({
          path: ['routes', r, 'members', i, 'provider'],
          message: `Unknown provider "${m.provider}"`,
        });
        return undefined;
      }
      const match = unused.findIndex((old) => old.providerId === provider.id && old.model === m.model);
      const id = match >= 0 ? (unused.splice(match, 1)[0]?.id ?? newId()) : newId();
      const { tier, weight, enabled, model } = m;
      return { id, routeId: route.id, providerId: provider.id, model, tier, weight, enabled, position: i };
    });
    const providerName = new Map(next.providers.map((p) => [p.id, p.name]));
    replaceChildren(
      next,
      'routeMembers',
      route.id,
      (m) => m.routeId,
      replacement,
      changes,
      (m) => `member ${providerName.get(m.providerId) ?? m.providerId}/${m.model} of route "${entry.name}"`,
    );
  });

  // Alias names are unique per scope (global, or one provider's model ids).
  const aliasScopes = new Map<string, Map<string, AliasRecord>>();
  const aliasScope = (providerId: string | null): Map<string, AliasRecord> => {
    const scope = aliasScopes.get(providerId ?? '') ?? new Map<string, AliasRecord>();
    aliasScopes.set(providerId ?? '', scope);
    return scope;
  };
  for (const alias of next.aliases) aliasScope(alias.providerId).set(alias.name, alias);
  let nextPosition = next.aliases.reduce((max, a) => Math.max(max, a.position), -1) + 1;
  bundle.aliases.forEach((entry, a) => {
    const provider = entry.provider === null ? null : providers.get(entry.provider);
    if (provider === undefined) {
      issues.push({ path: ['aliases', a, 'provider'], message: `Unknown provider "${entry.provider}"` });
      return;
    }
    // A provider-scoped alias names one of that provider's model ids, which is anything.
    if (provider === null && !isValidTarget(entry.target, entry.kind, routes, providers)) {
      issues.push({
        path: ['aliases', a, 'target'],
        message: `"${entry.target}" is neither a route nor provider/model with a known provider`,
      });
    }
    const providerId = provider?.id ?? null;
    const scope = aliasScope(providerId);
    const fields = scope.has(entry.name)
      ? { target: entry.target, kind: entry.kind }
      : { target: entry.target, kind: entry.kind, providerId, position: nextPosition++ };
    const what =
      provider === null ? `alias "${entry.name}"` : `alias "${entry.name}" of provider "${provider.name}"`;
    upsert(next.aliases, scope, entry.name, fields, what, changes);
  });
  // Keep positions dense and in configured order (new aliases come after existing ones).
  next.aliases.sort((x, y) => x.position - y.position).forEach((alias, i) => (alias.position = i));

  planOrgs(next, bundle, changes);
  const users = new Map(next.users.map((u) => [u.name, u]));
  const keyPaths = new Map<string, (string | number)[]>();
  bundle.users.forEach((entry, u) => {
    const known = users.has(entry.name);
    // An absent password keeps the stored one; a new user without one has no console login.
    const password =
      entry.password_hash !== undefined
        ? { passwordHash: entry.password_hash }
        : known
          ? {}
          : { passwordHash: null };
    const permissions = entry.permissions ?? users.get(entry.name)?.permissions ?? [];
    const fields = {
      isAdmin: entry.admin,
      enabled: entry.enabled,
      createdAt: now,
      ...placeUser(next, entry, u, issues),
      permissions,
      ...password,
    };
    const user = upsert(next.users, users, entry.name, fields, `user "${entry.name}"`, changes, [
      'createdAt',
    ]);
    if (entry.keys === undefined) return;
    const matched = keyRecordsBefore(
      next.userKeys.filter((k) => k.userId === user.id),
      entry.keys,
    );
    const replacement = entry.keys.map((k, i): UserKeyRecord => {
      const before = matched[i];
      const id = before?.id ?? newId();
      keyPaths.set(id, ['users', u, 'keys', i]);
      const sameKey = before?.digest === k.digest;
      // A hint needs the plaintext; from a digest alone only a digest prefix can be shown.
      const hint =
        k.hint ?? (sameKey && before !== undefined ? before.hint : `sha256:${k.digest.slice(0, 8)}…`);
      return {
        id,
        userId: user.id,
        label: k.label,
        digest: k.digest,
        hint,
        enabled: k.enabled,
        expiresAt: k.expires_at,
        createdAt: before?.createdAt ?? now,
        permissions: k.permissions ?? before?.permissions ?? [],
        // The sealed copy belongs to the key it was made from; another key is not revealable.
        sealedKey: sameKey ? (before?.sealedKey ?? null) : null,
      };
    });
    replaceChildren(
      next,
      'userKeys',
      user.id,
      (k) => k.userId,
      replacement,
      changes,
      (k) => `key "${entry.name}/${k.label}"`,
    );
  });
  // Digests are unique across users (the store enforces it; auth looks keys up by digest).
  const ownerOfDigest = new Map<string, string>();
  for (const key of next.userKeys) if (!keyPaths.has(key.id)) ownerOfDigest.set(key.digest, key.userId);
  for (const key of next.userKeys) {
    const owner = ownerOfDigest.get(key.digest);
    const path = keyPaths.get(key.id);
    if (owner === undefined || path === undefined) continue;
    const name = next.users.find((user) => user.id === owner)?.name ?? owner;
    issues.push({ path, message: `This key is already in use by user "${name}"` });
  }

  for (const [key, value] of Object.entries(bundle.settings ?? {})) {
    const existing = next.instanceSettings.find((setting) => setting.id === key);
    // A setting never stored has its default; re-importing an export must change nothing.
    const effective = existing?.value ?? (DEFAULT_INSTANCE_SETTINGS as Record<string, unknown>)[key];
    if (stableJson(effective) === stableJson(value)) continue;
    if (existing === undefined) {
      next.instanceSettings.push({ id: key, value });
      changes.push(`set setting "${key}"`);
    } else {
      existing.value = value;
      changes.push(`update setting "${key}"`);
    }
  }

  planPrices(next, bundle, changes);
  planRateLimits(next, bundle.rate_limits, changes, issues);
  planQuotas(next, bundle.quotas, changes, issues);
  planRuleSets(next, bundle.rule_sets, changes);
  checkAttachments(next, bundle.providers, issues);
  checkPlacements(next, issues);
  if (issues.length > 0) throw new BundleValidationError(issues);
  return { next, changes };
}

function isValidTarget(
  target: string,
  kind: AliasKind,
  routes: Map<string, RouteRecord>,
  providers: Map<string, ProviderRecord>,
): boolean {
  if (routes.has(target)) return true;
  const slash = target.indexOf('/');
  const provider = slash > 0 ? target.slice(0, slash) : '';
  // A target with group references is only known per request; what is fixed must still exist.
  if (kind === 'regex' && target.includes('$'))
    return provider === '' || provider.includes('$') || providers.has(provider);
  return slash > 0 && slash < target.length - 1 && providers.has(provider);
}

/**
 * The stored record each key entry continues, by position (undefined: a new key). A key is known
 * by its digest first, so a renamed key keeps its id, creation time and sealed copy; a new secret
 * under a stored label takes over that record unless another entry still carries its digest.
 */
function keyRecordsBefore(
  stored: readonly UserKeyRecord[],
  entries: readonly { label: string; digest: string }[],
): (UserKeyRecord | undefined)[] {
  const byDigest = new Map(stored.map((k) => [k.digest, k]));
  const byLabel = new Map(stored.map((k) => [k.label, k]));
  const claimed = new Set<string>();
  const byOwnDigest = entries.map((k) => {
    const same = byDigest.get(k.digest);
    if (same === undefined || claimed.has(same.id)) return undefined;
    claimed.add(same.id);
    return same;
  });
  return entries.map((k, i) => {
    const own = byOwnDigest[i];
    if (own !== undefined) return own;
    const named = byLabel.get(k.label);
    if (named === undefined || claimed.has(named.id)) return undefined;
    claimed.add(named.id);
    return named;
  });
}
