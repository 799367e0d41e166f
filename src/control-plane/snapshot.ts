/**
 * The snapshot: an immutable, indexed view of the control plane that the request path reads
 * without touching the database. Disabled records are left out here, once, so the hot path never
 * has to check `enabled` flags itself.
 */
import { buildAliasTables, EMPTY_ALIAS_TABLE, type AliasTable } from './alias-table';
import { readInstanceSettings, type InstanceSettings } from './instance-settings';
import { buildPriceBook, type PriceBook } from './pricing/price-book';
import { ALLOW_ALL, compileAccess, type Access } from './permissions';
import { buildQuotaBook, type QuotaBook } from './quotas/quota-book';
import { buildRateLimitBook, type RateLimitBook } from './rate-limits/rate-limit-book';
import { attachedRuleSets } from './rule-sets/plan-rule-sets';
import type {
  ControlPlaneData,
  CredentialRecord,
  ProviderRecord,
  RouteAffinity,
  RouteMemberRecord,
  RouteStrategy,
  RuleSetRecord,
  UserKeyRecord,
  UserRecord,
} from './model';

export interface ProviderView {
  id: string;
  name: string;
  channel: string;
  settings: Readonly<Record<string, unknown>>;
  /** Enabled credentials only, in label order. */
  credentials: readonly CredentialRecord[];
  /** Enabled entries of the provider's model list (upstream ids), in id order. */
  models: readonly string[];
  /** Aliases scoped to this provider: they rename its model ids (scoped endpoints, `provider/model`). */
  aliases: AliasTable;
  /**
   * The rule sets the provider attaches, in attachment order (docs/rule-sets.md); absent when none.
   * A new array per snapshot: pipeline/rule-sets.ts compiles it once per snapshot, keyed on it.
   */
  ruleSets?: readonly Readonly<RuleSetRecord>[];
}

export interface RouteMemberView {
  member: RouteMemberRecord;
  provider: ProviderView;
}

export interface RouteView {
  id: string;
  name: string;
  strategy: RouteStrategy;
  affinity: RouteAffinity | null;
  /**
   * Enabled members of enabled providers, sorted by tier ascending, then position ascending; the
   * strategy orders them per request (pipeline/routing/strategy.ts).
   */
  members: readonly RouteMemberView[];
}

export interface KeyIdentity {
  user: UserRecord;
  key: UserKeyRecord;
  /** What the key may use: its grants united with its user's, team's and org's (admins: all). */
  access: Access;
}

export interface Snapshot {
  readonly version: number;
  /**
   * Enabled keys of enabled users in enabled teams and orgs, by hex SHA-256 digest. Expiry is not applied here (it depends
   * on the clock, and a snapshot is built once): the authenticator checks `key.expiresAt`.
   */
  readonly keysByDigest: ReadonlyMap<string, KeyIdentity>;
  /** Instance settings with defaults applied. */
  readonly settings: InstanceSettings;
  /** Enabled users of enabled teams and orgs, by name (console sign-in and session revalidation). */
  readonly usersByName: ReadonlyMap<string, UserRecord>;
  /** Enabled providers. */
  readonly providersByName: ReadonlyMap<string, ProviderView>;
  /** Enabled routes. */
  readonly routesByName: ReadonlyMap<string, RouteView>;
  /** Global exact aliases: name -> target (a route name or `provider/model`), in configured order. */
  readonly aliases: ReadonlyMap<string, string>;
  /** Global aliases, exact and regex (regexes compiled once, here). */
  readonly globalAliases: AliasTable;
  /** Operator price rules, then the default catalogue, compiled (docs/billing.md). */
  readonly prices: PriceBook;
  /** Rate limits per org, team, user and key (docs/tenancy.md). */
  readonly rateLimits: RateLimitBook;
  /** USD quotas per org, team, user and key (docs/tenancy.md, "Quotas"). */
  readonly quotas: QuotaBook;
}

// Code-unit order, not localeCompare: the order must not depend on the host's locale.
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Copies before freezing so the caller's records stay untouched (the builder is pure). */
function frozenCopy<T extends object>(record: T): Readonly<T> {
  return deepFreeze(structuredClone(record));
}

export function buildSnapshot(data: ControlPlaneData, version: number): Snapshot {
  const credentialsByProvider = new Map<string, CredentialRecord[]>();
  for (const credential of data.credentials) {
    if (!credential.enabled) continue;
    const list = credentialsByProvider.get(credential.providerId) ?? [];
    list.push(frozenCopy(credential));
    credentialsByProvider.set(credential.providerId, list);
  }

  const aliasTables = buildAliasTables(data.aliases);
  const ruleSetsByName = new Map(data.ruleSets.map((set) => [set.name, set]));
  const providersById = new Map<string, ProviderView>();
  const providersByName = new Map<string, ProviderView>();
  for (const provider of [...data.providers].sort((a, b) => byText(a.name, b.name))) {
    if (!provider.enabled) continue;
    const models = data.providerModels
      .filter((m) => m.enabled && m.providerId === provider.id)
      .map((m) => m.model)
      .sort(byText);
    const view = providerView(
      provider,
      credentialsByProvider.get(provider.id) ?? [],
      models,
      aliasTables.get(provider.id) ?? EMPTY_ALIAS_TABLE,
      attachedRuleSets(provider)
        .map((name) => ruleSetsByName.get(name))
        .filter((set): set is RuleSetRecord => set !== undefined),
    );
    providersById.set(provider.id, view);
    providersByName.set(provider.name, view);
  }

  const membersByRoute = new Map<string, RouteMemberRecord[]>();
  for (const member of data.routeMembers) {
    if (!member.enabled || !providersById.has(member.providerId)) continue;
    const list = membersByRoute.get(member.routeId) ?? [];
    list.push(member);
    membersByRoute.set(member.routeId, list);
  }

  const routesByName = new Map<string, RouteView>();
  for (const route of [...data.routes].sort((a, b) => byText(a.name, b.name))) {
    if (!route.enabled) continue;
    const members = (membersByRoute.get(route.id) ?? [])
      .sort((a, b) => a.tier - b.tier || a.position - b.position)
      .map((member) => ({ member: frozenCopy(member), provider: providersById.get(member.providerId) }))
      .filter((view): view is RouteMemberView => view.provider !== undefined)
      .map((view) => Object.freeze(view));
    routesByName.set(
      route.name,
      Object.freeze({
        id: route.id,
        name: route.name,
        strategy: route.strategy,
        affinity: route.affinity === null ? null : Object.freeze({ ...route.affinity }),
        members: Object.freeze(members),
      }),
    );
  }

  // Disabling an org or a team disables everything beneath it: its users and their keys are left
  // out here, so they stop working with the next snapshot.
  const orgs = new Map(data.orgs.map((org) => [org.id, org]));
  const teams = new Map(data.teams.map((team) => [team.id, team]));
  const enabledUsers = new Map<string, UserRecord>();
  const grantsOfUser = new Map<string, string[][]>();
  for (const user of data.users) {
    const team = user.teamId === null ? undefined : teams.get(user.teamId);
    const org = orgs.get(team?.orgId ?? user.orgId ?? '');
    if (!user.enabled || team?.enabled === false || org?.enabled === false) continue;
    enabledUsers.set(user.id, frozenCopy(user));
    grantsOfUser.set(user.id, [user.permissions, team?.permissions ?? [], org?.permissions ?? []]);
  }
  const keysByDigest = new Map<string, KeyIdentity>();
  for (const key of data.userKeys) {
    const user = enabledUsers.get(key.userId);
    if (!key.enabled || user === undefined) continue;
    const access: Access = user.isAdmin
      ? ALLOW_ALL
      : compileAccess([key.permissions, ...(grantsOfUser.get(user.id) ?? [])]);
    keysByDigest.set(key.digest, Object.freeze({ user, key: frozenCopy(key), access }));
  }

  const globalAliases = aliasTables.get(null) ?? EMPTY_ALIAS_TABLE;
  const aliases = globalAliases.exact;
  const usersByName = new Map([...enabledUsers.values()].map((user) => [user.name, user]));
  return Object.freeze({
    version,
    keysByDigest,
    usersByName,
    settings: deepFreeze(readInstanceSettings(data.instanceSettings)),
    providersByName,
    routesByName,
    aliases,
    globalAliases,
    prices: buildPriceBook(data.priceRules),
    rateLimits: buildRateLimitBook(data),
    quotas: buildQuotaBook(data),
  });
}

function providerView(
  provider: ProviderRecord,
  credentials: CredentialRecord[],
  models: string[],
  aliases: AliasTable,
  ruleSets: RuleSetRecord[],
): ProviderView {
  return Object.freeze({
    id: provider.id,
    name: provider.name,
    channel: provider.channel,
    settings: deepFreeze(structuredClone(provider.settings)),
    credentials: Object.freeze(credentials.sort((a, b) => byText(a.label, b.label))),
    models: Object.freeze(models),
    aliases,
    ...(ruleSets.length === 0 ? {} : { ruleSets: Object.freeze(ruleSets.map(frozenCopy)) }),
  });
}
