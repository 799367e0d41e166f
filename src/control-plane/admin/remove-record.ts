/**
 * Deleting and renaming named records, with what depends on them: a deleted provider takes its
 * credentials, model list, route members and provider-scoped aliases along; a deleted route its
 * members; a deleted user its keys. An alias that still targets a provider or route blocks the
 * delete (409), so no alias is left pointing at nothing; so does a user still in an org being
 * deleted (its teams go with it), and a rule set still attached to a provider. Renames carry alias
 * targets and rule-set attachments along.
 */
import type { ControlPlaneData } from '../model';
import { providersAttaching, renameAttachments } from '../rule-sets/plan-rule-sets';
import { conflict, notFound } from './apply-entries';
import type { Section } from './apply-entries';
import type { RecordKey } from './record-service';

function providerIdOf(data: ControlPlaneData, name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  const provider = data.providers.find((p) => p.name === name);
  if (provider === undefined) throw notFound('provider', name);
  return provider.id;
}

function aliasIndex(data: ControlPlaneData, key: RecordKey): number {
  const scope = providerIdOf(data, key.provider);
  return data.aliases.findIndex((a) => a.name === key.name && (a.providerId ?? null) === scope);
}

export function removeRecord(data: ControlPlaneData, section: Section, key: RecordKey): ControlPlaneData {
  const next = structuredClone(data);
  switch (section) {
    case 'providers': {
      const id = providerIdOf(next, key.name) ?? '';
      const prefix = `${key.name}/`;
      const blocking = next.aliases.filter((a) => a.providerId !== id && a.target.startsWith(prefix));
      if (blocking.length > 0)
        throw conflict(
          `Provider "${key.name}" is the target of aliases ${blocking.map((a) => `"${a.name}"`).join(', ')}; change or delete them first.`,
        );
      next.providers = next.providers.filter((p) => p.id !== id);
      next.credentials = next.credentials.filter((c) => c.providerId !== id);
      next.providerModels = next.providerModels.filter((m) => m.providerId !== id);
      next.routeMembers = next.routeMembers.filter((m) => m.providerId !== id);
      next.aliases = next.aliases.filter((a) => a.providerId !== id);
      return next;
    }
    case 'routes': {
      const route = next.routes.find((r) => r.name === key.name);
      const blocking = next.aliases.filter((a) => a.target === key.name);
      if (blocking.length > 0)
        throw conflict(
          `Route "${key.name}" is the target of aliases ${blocking.map((a) => `"${a.name}"`).join(', ')}; change or delete them first.`,
        );
      next.routes = next.routes.filter((r) => r !== route);
      next.routeMembers = next.routeMembers.filter((m) => m.routeId !== route?.id);
      return next;
    }
    case 'aliases': {
      const index = aliasIndex(next, key);
      if (index >= 0) next.aliases.splice(index, 1);
      next.aliases.forEach((alias, position) => (alias.position = position));
      return next;
    }
    case 'prices': {
      next.priceRules = next.priceRules.filter((rule) => rule.name !== key.name);
      next.priceRules.forEach((rule, position) => (rule.position = position));
      return next;
    }
    case 'rate_limits': {
      next.rateLimits = next.rateLimits.filter((limit) => limit.name !== key.name);
      return next;
    }
    case 'quotas': {
      next.quotas = next.quotas.filter((quota) => quota.name !== key.name);
      return next;
    }
    case 'rule_sets': {
      const attached = providersAttaching(next, key.name);
      if (attached.length > 0)
        throw conflict(
          `Rule set "${key.name}" is attached to providers ${attached.map((name) => `"${name}"`).join(', ')}; detach it first (their "rule_sets" setting).`,
        );
      next.ruleSets = next.ruleSets.filter((set) => set.name !== key.name);
      return next;
    }
    case 'orgs': {
      const org = next.orgs.find((o) => o.name === key.name);
      const members = next.users.filter((u) => u.orgId !== null && u.orgId === org?.id);
      if (members.length > 0)
        throw conflict(
          `Org "${key.name}" still has users ${members.map((u) => `"${u.name}"`).join(', ')}; move or delete them first.`,
        );
      next.orgs = next.orgs.filter((o) => o !== org);
      next.teams = next.teams.filter((t) => t.orgId !== org?.id);
      return next;
    }
    case 'users': {
      const user = next.users.find((u) => u.name === key.name);
      next.users = next.users.filter((u) => u !== user);
      next.userKeys = next.userKeys.filter((k) => k.userId !== user?.id);
      return next;
    }
  }
}

export function renameRecord(
  data: ControlPlaneData,
  section: Section,
  from: RecordKey,
  to: RecordKey,
): ControlPlaneData {
  const next = structuredClone(data);
  switch (section) {
    case 'providers': {
      const provider = next.providers.find((p) => p.name === from.name);
      if (provider !== undefined) provider.name = to.name;
      const prefix = `${from.name}/`;
      for (const alias of next.aliases)
        if (alias.target.startsWith(prefix)) alias.target = `${to.name}/${alias.target.slice(prefix.length)}`;
      return next;
    }
    case 'routes': {
      const route = next.routes.find((r) => r.name === from.name);
      if (route !== undefined) route.name = to.name;
      for (const alias of next.aliases) if (alias.target === from.name) alias.target = to.name;
      return next;
    }
    case 'aliases': {
      const alias = next.aliases[aliasIndex(next, from)];
      if (alias !== undefined) {
        alias.name = to.name;
        alias.providerId = providerIdOf(next, to.provider);
      }
      return next;
    }
    case 'prices': {
      const rule = next.priceRules.find((r) => r.name === from.name);
      if (rule !== undefined) rule.name = to.name;
      return next;
    }
    case 'rate_limits': {
      const limit = next.rateLimits.find((l) => l.name === from.name);
      if (limit !== undefined) limit.name = to.name;
      return next;
    }
    case 'quotas': {
      const quota = next.quotas.find((q) => q.name === from.name);
      if (quota !== undefined) quota.name = to.name;
      return next;
    }
    case 'rule_sets': {
      const set = next.ruleSets.find((s) => s.name === from.name);
      if (set !== undefined) set.name = to.name;
      renameAttachments(next, from.name, to.name);
      return next;
    }
    case 'orgs': {
      const org = next.orgs.find((o) => o.name === from.name);
      if (org !== undefined) org.name = to.name;
      return next;
    }
    case 'users': {
      const user = next.users.find((u) => u.name === from.name);
      if (user !== undefined) user.name = to.name;
      return next;
    }
  }
}
