/**
 * The control-plane domain model: the records an operator configures. Persistence backends store
 * them; the snapshot indexes them for the hot path. Ids are opaque strings; bundles refer by name.
 */
import type { PriceRule } from './pricing/price-rule';

/**
 * How a route orders its members inside a tier (tiers are always tried lowest first):
 * `failover` by weight (highest first, then configured order), `round_robin` in weighted turns,
 * `weighted` at random by weight, `least_latency` by the recent latency each member showed.
 */
export type RouteStrategy = 'failover' | 'round_robin' | 'weighted' | 'least_latency';

/** What keeps a caller on one member and credential: its user key, a session header, or its conversation. */
export type AffinitySubject = 'user_key' | 'session' | 'conversation';

/** Optional per route: pin a subject to the member and credential that served it, for a rolling TTL. */
export interface RouteAffinity {
  subject: AffinitySubject;
  ttlSeconds: number;
}

/** `exact` names match as written; `regex` names are patterns matched against the whole model name. */
export type AliasKind = 'exact' | 'regex';

export interface ProviderRecord {
  id: string;
  name: string;
  /** Channel id, e.g. `openai`, `anthropic`, `gemini`, `mock`. */
  channel: string;
  /** Channel-specific settings, e.g. `{ base_url: "https://api.openai.com/v1" }`. */
  settings: Record<string, unknown>;
  enabled: boolean;
}

export interface CredentialRecord {
  id: string;
  providerId: string;
  label: string;
  /**
   * The secret fields, e.g. `{ api_key: "sk-..." }`. Never logged, never exported by default.
   * Plaintext in memory; sealed at rest when a master key is set (control-plane/secret-envelope).
   */
  secret: Record<string, string>;
  /**
   * Non-secret per-credential settings that override the provider's: `proxy` (URL) and `tls`
   * (a TlsProfile, see channel/contract.ts DispatchOptions).
   */
  settings: Record<string, unknown>;
  weight: number;
  /** Requests per minute this credential may send; null = unlimited. */
  rpm: number | null;
  /** Tokens per minute this credential may consume; null = unlimited. */
  tpm: number | null;
  enabled: boolean;
}

/** Where a provider model entry came from: added by an operator, or pulled from the upstream. */
export type ProviderModelSource = 'manual' | 'pulled';

/** One upstream model id in a provider's model list. */
export interface ProviderModelRecord {
  id: string;
  providerId: string;
  /** The upstream model id, e.g. `gpt-4o-mini`. */
  model: string;
  displayName: string | null;
  source: ProviderModelSource;
  enabled: boolean;
  createdAt: string;
}

export interface RouteRecord {
  id: string;
  name: string;
  strategy: RouteStrategy;
  enabled: boolean;
  /** Null: no affinity. */
  affinity: RouteAffinity | null;
}

export interface RouteMemberRecord {
  id: string;
  routeId: string;
  providerId: string;
  /** Upstream model id at that provider. */
  model: string;
  /** Lower tiers are tried first. */
  tier: number;
  weight: number;
  enabled: boolean;
  /** Order within the route as configured. */
  position: number;
}

export interface AliasRecord {
  id: string;
  name: string;
  /**
   * A route name or `provider/model`; for provider-scoped aliases, a model id of that provider.
   * Regex aliases may use the pattern's groups (`$1`, `$<name>`).
   */
  target: string;
  kind: AliasKind;
  /** Null: global. Otherwise the alias applies to this provider's model ids only. */
  providerId: string | null;
  position: number;
}

/** The top of the identity hierarchy: orgs > teams > users > keys (see docs/tenancy.md). */
export interface OrgRecord {
  id: string;
  name: string;
  enabled: boolean;
  /** Glob patterns on model, route and `provider/model` names (control-plane/permissions.ts). */
  permissions: string[];
}

export interface TeamRecord {
  id: string;
  orgId: string;
  /** Unique within the org. */
  name: string;
  enabled: boolean;
  permissions: string[];
}

export interface UserRecord {
  id: string;
  name: string;
  isAdmin: boolean;
  enabled: boolean;
  createdAt: string;
  /** argon2id PHC string for console sign-in; null = no console login. */
  passwordHash: string | null;
  /** Null: in no org. A user with a team is in that team's org. */
  orgId: string | null;
  teamId: string | null;
  permissions: string[];
}

export interface UserKeyRecord {
  id: string;
  userId: string;
  label: string;
  /** Hex SHA-256 of the key; the key itself is never stored. */
  digest: string;
  /** A short non-secret prefix for display, e.g. `sk-gp-ab12…`. */
  hint: string;
  enabled: boolean;
  /** ISO time after which the key no longer authenticates, or null. */
  expiresAt: string | null;
  createdAt: string;
  permissions: string[];
  /**
   * The key itself, sealed under GPROXY_MASTER_KEY (secret-envelope.ts, the digest as associated
   * data), for a later reveal; null when the key was created without a master key or imported.
   */
  sealedKey: string | null;
}

/** One instance setting (see instance-settings.ts): the key as id, any JSON value. */
export interface InstanceSettingRecord {
  id: string;
  value: unknown;
}

/**
 * An operator's price rule (docs/billing.md): its unique name, its place in the operator's list
 * (earlier rules win ties), and the rule itself in its validated bundle shape.
 */
export interface PriceRuleRecord {
  id: string;
  name: string;
  position: number;
  rule: PriceRule;
}

/** Whose traffic a rate limit counts (docs/tenancy.md, "Rate limits"). */
export type RateLimitSubjectKind = 'org' | 'team' | 'user' | 'key';

/** The limits of one rate-limit record; null = no limit of that kind. */
export interface RateLimitValues {
  /** A glob on the requested model name or the route it resolved to; null = every request. */
  route: string | null;
  rpm: number | null;
  rpd: number | null;
  tpm: number | null;
  tpd: number | null;
  maxConcurrent: number | null;
}

/** A named rate limit on one org, team, user or key (by id, so renames carry it along). */
export interface RateLimitRecord {
  id: string;
  name: string;
  subjectKind: RateLimitSubjectKind;
  subjectId: string;
  limits: RateLimitValues;
}

/** The USD budgets of one quota record, canonical decimals; null = no budget of that window. */
export interface QuotaValues {
  /** A glob on the requested model name or the route it resolved to; null = every request. */
  route: string | null;
  total: string | null;
  daily: string | null;
  weekly: string | null;
  monthly: string | null;
}

/** A named USD quota on one org, team, user or key (docs/tenancy.md, "Quotas"). */
export interface QuotaRecord {
  id: string;
  name: string;
  subjectKind: RateLimitSubjectKind;
  subjectId: string;
  budgets: QuotaValues;
}

/**
 * When a rule applies (docs/rule-sets.md); every condition given must hold, an absent one always
 * does. Facts are those of the upstream request: its model id, operation, wire kind (after any
 * conversion) and whether it streams.
 */
export interface RuleCondition {
  /** Globs on the upstream model id (`*` any run of characters, `?` one). */
  models?: string[];
  operations?: string[];
  wires?: string[];
  stream?: boolean;
}

/** One mutation of a rule set, in its validated bundle shape. */
export type RuleAction =
  /** Request headers, on the request the channel prepared (credential headers are refused). */
  | { action: 'set_header' | 'default_header'; header: string; value: string }
  | { action: 'remove_header'; header: string }
  /** JSON body fields of the upstream wire, addressed by a JSON Pointer (RFC 6901). */
  | { action: 'set_field' | 'default_field'; path: string; value: unknown }
  | { action: 'remove_field'; path: string }
  /** Headers of the answer the client gets. */
  | { action: 'set_response_header'; header: string; value: string }
  | { action: 'remove_response_header'; header: string };

export type RuleRecord = RuleAction & { when?: RuleCondition };

/**
 * A named, ordered list of request/response mutations. Providers attach rule sets by name (their
 * `rule_sets` setting); attached sets apply in attachment order, rules in list order.
 */
export interface RuleSetRecord {
  id: string;
  name: string;
  description: string | null;
  rules: RuleRecord[];
}

/** Everything the snapshot is built from, read in one round. */
export interface ControlPlaneData {
  orgs: OrgRecord[];
  teams: TeamRecord[];
  providers: ProviderRecord[];
  credentials: CredentialRecord[];
  providerModels: ProviderModelRecord[];
  routes: RouteRecord[];
  routeMembers: RouteMemberRecord[];
  aliases: AliasRecord[];
  users: UserRecord[];
  userKeys: UserKeyRecord[];
  instanceSettings: InstanceSettingRecord[];
  /** Operator price rules, in position order (they go before the default catalogue). */
  priceRules: PriceRuleRecord[];
  /** Rate limits per org, team, user or key (src/control-plane/rate-limits). */
  rateLimits: RateLimitRecord[];
  /** USD quotas per org, team, user or key (src/control-plane/quotas). */
  quotas: QuotaRecord[];
  /** Request/response mutation rules, attached to providers by name (docs/rule-sets.md). */
  ruleSets: RuleSetRecord[];
}

/** A control plane with no records (a fresh installation). */
export function emptyControlPlaneData(): ControlPlaneData {
  return {
    orgs: [],
    teams: [],
    providers: [],
    credentials: [],
    providerModels: [],
    routes: [],
    routeMembers: [],
    aliases: [],
    users: [],
    userKeys: [],
    instanceSettings: [],
    priceRules: [],
    rateLimits: [],
    quotas: [],
    ruleSets: [],
  };
}
