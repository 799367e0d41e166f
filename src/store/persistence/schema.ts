/**
 * The Kysely view of the persistence schema. Column types stay within what SQLite, Postgres and
 * MySQL all store the same way: booleans are integers 0/1, JSON is text, times are ISO-8601 text.
 * The migrations in ./migrations create exactly these tables. Row shapes are type aliases (not
 * interfaces) so they stay assignable to the generic row type the table sync works with.
 */

/** 0 or 1; SQLite has no boolean and MySQL's is tinyint, so integers keep one code path. */
export type Flag = number;

export type ProvidersTable = {
  id: string;
  name: string;
  channel: string;
  /** JSON object text. */
  settings: string;
  enabled: Flag;
};

export type CredentialsTable = {
  id: string;
  provider_id: string;
  label: string;
  /**
   * JSON object text of string fields, or a `v1:…` AES-GCM envelope of that text when a master
   * key is set (control-plane/secret-envelope).
   */
  secret: string;
  weight: number;
  enabled: Flag;
  /** JSON object text (proxy, TLS profile); added by migration 0003 with default `{}`. */
  settings: string;
  /** Null = unlimited. */
  rpm: number | null;
  tpm: number | null;
};

export type ProviderModelsTable = {
  id: string;
  provider_id: string;
  model: string;
  display_name: string | null;
  /** `manual` or `pulled`. */
  source: string;
  enabled: Flag;
  created_at: string;
};

export type RoutesTable = {
  id: string;
  name: string;
  strategy: string;
  enabled: Flag;
  /** `user_key`, `session` or `conversation`; null = no affinity (migration 0005). */
  affinity_subject: string | null;
  affinity_ttl_seconds: number | null;
};

export type RouteMembersTable = {
  id: string;
  route_id: string;
  provider_id: string;
  model: string;
  tier: number;
  weight: number;
  enabled: Flag;
  position: number;
};

export type AliasesTable = {
  id: string;
  name: string;
  target: string;
  position: number;
  /** `exact` or `regex` (migration 0005). */
  kind: string;
  /** Null = global; else the provider whose model ids the alias applies to. */
  provider_id: string | null;
};

export type UsersTable = {
  id: string;
  name: string;
  is_admin: Flag;
  enabled: Flag;
  created_at: string;
  /** Added by migration 0006; null = no console login. */
  password_hash: string | null;
  /** Migration 0008: null = in no org / team. */
  org_id: string | null;
  team_id: string | null;
  /** JSON array of glob patterns; null = none (migration 0008). */
  permissions: string | null;
};

export type OrgsTable = {
  id: string;
  name: string;
  enabled: Flag;
  /** JSON array of glob patterns; null = none. */
  permissions: string | null;
};

export type TeamsTable = {
  id: string;
  org_id: string;
  name: string;
  enabled: Flag;
  permissions: string | null;
};

export type UserKeysTable = {
  id: string;
  user_id: string;
  label: string;
  digest: string;
  hint: string;
  enabled: Flag;
  expires_at: string | null;
  created_at: string;
  /** JSON array of glob patterns; null = none (migration 0008). */
  permissions: string | null;
  /** The key sealed under the master key, for reveal; null = not revealable (migration 0008). */
  sealed_key: string | null;
};

export type UsageRecordsTable = {
  request_id: string;
  created_at: string;
  user_id: string | null;
  user_key_id: string | null;
  operation: string;
  client_wire: string;
  upstream_wire: string | null;
  requested_model: string | null;
  route_name: string | null;
  provider_name: string | null;
  credential_label: string | null;
  upstream_model: string | null;
  stream: Flag;
  status: number;
  end_state: string;
  error_code: string | null;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_creation_tokens: number;
  reasoning_tokens: number;
  usage_source: string;
  latency_ms: number;
  first_byte_ms: number | null;
  /** Migration 0009: integer pico-USD (bound and read as text); null = unpriced or not billed. */
  cost_pico_usd: string | number | null;
  /** 1 = a price rule matched; 0 = unpriced (cost null); null = rows from before 0009. */
  priced: Flag | null;
  /** The name of the price rule used (operator rule name, or `catalogue:<model>`). */
  price_rule: string | null;
  /** The 1-hour share of cache_creation_tokens, where the upstream says (Claude). */
  cache_creation_1h_tokens: number | null;
  /** The user's org and team when the request was made (migration 0009). */
  org_id: string | null;
  team_id: string | null;
};

/** Hourly sums of the usage ledger (migration 0009); `id` digests the dimensions. */
export type UsageRollupsTable = {
  id: string;
  hour: string;
  org_id: string | null;
  team_id: string | null;
  user_id: string | null;
  user_key_id: string | null;
  route_name: string | null;
  provider_name: string | null;
  upstream_model: string | null;
  requests: number | string;
  errors: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
  cached_input_tokens: number | string;
  cache_creation_tokens: number | string;
  reasoning_tokens: number | string;
  cost_pico_usd: number | string;
  unpriced_requests: number | string;
};

/** Operator price rules (migration 0009). */
export type PriceRulesTable = {
  id: string;
  name: string;
  position: number;
  /** JSON text of the rule in its bundle shape, without the name. */
  rule: string;
};

/** Rate limits per org, team, user or key (migration 0010). */
export type RateLimitsTable = {
  id: string;
  name: string;
  subject_kind: string;
  subject_id: string;
  /** JSON text of the route glob and the limits (control-plane RateLimitValues). */
  limits: string;
};

/** USD quotas per org, team, user or key (migration 0011). */
export type QuotasTable = {
  id: string;
  name: string;
  subject_kind: string;
  subject_id: string;
  /** JSON text of the route glob and the budgets (control-plane QuotaValues). */
  budgets: string;
};

/** Rule sets (migration 0012). */
export type RuleSetsTable = {
  id: string;
  name: string;
  description: string | null;
  /** JSON text of the rules in their bundle shape (control-plane RuleRecord[]). */
  rules: string;
};

export type AuditRecordsTable = {
  id: string;
  created_at: string;
  actor: string | null;
  action: string;
  target: string;
  status: number;
  source_address: string | null;
};

export type RequestLogsTable = {
  /** The request id. */
  id: string;
  created_at: string;
  user_id: string | null;
  operation: string;
  client_wire: string;
  model: string | null;
  route_name: string | null;
  status: number;
  end_state: string;
  error_code: string | null;
  latency_ms: number;
  route_header: string | null;
  /** JSON text. */
  attempts: string;
  warnings: string | null;
  request_headers: string | null;
  request_body: string | null;
  response_status: number | null;
  /** JSON text. */
  response_headers: string | null;
  response_body: string | null;
  response_body_bytes: number | null;
  /** 0 or 1. */
  response_truncated: number | null;
  upstream_error_body: string | null;
};

export type InstanceSettingsTable = {
  /** The setting's key. */
  id: string;
  /** JSON text. */
  value: string;
};

export interface ControlPlaneMetaTable {
  key: string;
  /** bigint: drivers may return it as a string; read it with Number(). */
  value: number | string;
}

export interface Database {
  control_plane_meta: ControlPlaneMetaTable;
  providers: ProvidersTable;
  credentials: CredentialsTable;
  provider_models: ProviderModelsTable;
  routes: RoutesTable;
  route_members: RouteMembersTable;
  aliases: AliasesTable;
  orgs: OrgsTable;
  teams: TeamsTable;
  users: UsersTable;
  user_keys: UserKeysTable;
  usage_records: UsageRecordsTable;
  usage_rollups: UsageRollupsTable;
  price_rules: PriceRulesTable;
  rate_limits: RateLimitsTable;
  quotas: QuotasTable;
  rule_sets: RuleSetsTable;
  audit_records: AuditRecordsTable;
  request_logs: RequestLogsTable;
  instance_settings: InstanceSettingsTable;
}
