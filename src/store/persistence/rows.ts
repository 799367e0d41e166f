/**
 * Conversions between control-plane records (camelCase, booleans, objects) and table rows
 * (snake_case, 0/1 flags, JSON text). Kept apart from the store so every backend shares them.
 */
import type {
  AffinitySubject,
  AliasKind,
  AliasRecord,
  CredentialRecord,
  InstanceSettingRecord,
  PriceRuleRecord,
  ProviderModelRecord,
  ProviderModelSource,
  ProviderRecord,
  RouteMemberRecord,
  RouteRecord,
  RouteStrategy,
  UserKeyRecord,
  UserRecord,
} from '../../control-plane/model';
import { priceRuleSchema } from '../../control-plane/pricing/price-rule';
import type { UsageRecord } from '../../control-plane/usage-record';
import type {
  AliasesTable,
  CredentialsTable,
  Flag,
  InstanceSettingsTable,
  PriceRulesTable,
  ProviderModelsTable,
  ProvidersTable,
  RouteMembersTable,
  RoutesTable,
  UsageRecordsTable,
  UserKeysTable,
  UsersTable,
} from './schema';
import { permissionsFromText, permissionsToText } from './tenancy-rows';

const flag = (value: boolean): Flag => (value ? 1 : 0);
// Postgres/MySQL drivers may hand integers back as strings or bigints; Number() covers all.
const bool = (value: unknown): boolean => Number(value) === 1;
const num = (value: unknown): number => Number(value);
const nullableNum = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

function parseJsonObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`Stored JSON in ${where} is not valid JSON`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Stored JSON in ${where} is not an object`);
  }
  return value as Record<string, unknown>;
}

function parseSecret(text: string, where: string): Record<string, string> {
  const object = parseJsonObject(text, where);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value !== 'string') throw new Error(`Stored secret field ${where}.${key} is not a string`);
    out[key] = value;
  }
  return out;
}

export const providerToRow = (r: ProviderRecord): ProvidersTable => ({
  id: r.id,
  name: r.name,
  channel: r.channel,
  settings: JSON.stringify(r.settings),
  enabled: flag(r.enabled),
});

export const providerFromRow = (row: ProvidersTable): ProviderRecord => ({
  id: row.id,
  name: row.name,
  channel: row.channel,
  settings: parseJsonObject(row.settings, `providers[${row.id}].settings`),
  enabled: bool(row.enabled),
});

/**
 * `storedSecret` is what goes into the secret column: plaintext JSON by default, or the envelope
 * the store's sealer made of it.
 */
export const credentialToRow = (
  r: CredentialRecord,
  storedSecret: string = JSON.stringify(r.secret),
): CredentialsTable => ({
  id: r.id,
  provider_id: r.providerId,
  label: r.label,
  secret: storedSecret,
  weight: r.weight,
  enabled: flag(r.enabled),
  settings: JSON.stringify(r.settings),
  rpm: r.rpm,
  tpm: r.tpm,
});

/** `secretJson` is the secret column after the store's sealer opened it. */
export const credentialFromRow = (
  row: CredentialsTable,
  secretJson: string = row.secret,
): CredentialRecord => ({
  id: row.id,
  providerId: row.provider_id,
  label: row.label,
  // The row id, never the secret, goes into the error text.
  secret: parseSecret(secretJson, `credentials[${row.id}].secret`),
  settings: parseJsonObject(row.settings, `credentials[${row.id}].settings`),
  weight: num(row.weight),
  rpm: nullableNum(row.rpm),
  tpm: nullableNum(row.tpm),
  enabled: bool(row.enabled),
});

export const providerModelToRow = (r: ProviderModelRecord): ProviderModelsTable => ({
  id: r.id,
  provider_id: r.providerId,
  model: r.model,
  display_name: r.displayName,
  source: r.source,
  enabled: flag(r.enabled),
  created_at: r.createdAt,
});

export const providerModelFromRow = (row: ProviderModelsTable): ProviderModelRecord => ({
  id: row.id,
  providerId: row.provider_id,
  model: row.model,
  displayName: row.display_name,
  source: row.source as ProviderModelSource,
  enabled: bool(row.enabled),
  createdAt: row.created_at,
});

export const instanceSettingToRow = (r: InstanceSettingRecord): InstanceSettingsTable => ({
  id: r.id,
  value: JSON.stringify(r.value),
});

export const instanceSettingFromRow = (row: InstanceSettingsTable): InstanceSettingRecord => ({
  id: row.id,
  value: JSON.parse(row.value) as unknown,
});

export const routeToRow = (r: RouteRecord): RoutesTable => ({
  id: r.id,
  name: r.name,
  strategy: r.strategy,
  enabled: flag(r.enabled),
  affinity_subject: r.affinity?.subject ?? null,
  affinity_ttl_seconds: r.affinity?.ttlSeconds ?? null,
});

export const routeFromRow = (row: RoutesTable): RouteRecord => ({
  id: row.id,
  name: row.name,
  strategy: row.strategy as RouteStrategy,
  enabled: bool(row.enabled),
  affinity:
    row.affinity_subject === null
      ? null
      : {
          subject: row.affinity_subject as AffinitySubject,
          ttlSeconds: num(row.affinity_ttl_seconds),
        },
});

export const memberToRow = (r: RouteMemberRecord): RouteMembersTable => ({
  id: r.id,
  route_id: r.routeId,
  provider_id: r.providerId,
  model: r.model,
  tier: r.tier,
  weight: r.weight,
  enabled: flag(r.enabled),
  position: r.position,
});

export const memberFromRow = (row: RouteMembersTable): RouteMemberRecord => ({
  id: row.id,
  routeId: row.route_id,
  providerId: row.provider_id,
  model: row.model,
  tier: num(row.tier),
  weight: num(row.weight),
  enabled: bool(row.enabled),
  position: num(row.position),
});

export const aliasToRow = (r: AliasRecord): AliasesTable => ({
  id: r.id,
  name: r.name,
  target: r.target,
  position: r.position,
  kind: r.kind,
  provider_id: r.providerId,
});

export const aliasFromRow = (row: AliasesTable): AliasRecord => ({
  id: row.id,
  name: row.name,
  target: row.target,
  kind: row.kind as AliasKind,
  providerId: row.provider_id,
  position: num(row.position),
});

export const userToRow = (r: UserRecord): UsersTable => ({
  id: r.id,
  name: r.name,
  is_admin: flag(r.isAdmin),
  enabled: flag(r.enabled),
  created_at: r.createdAt,
  password_hash: r.passwordHash,
  org_id: r.orgId,
  team_id: r.teamId,
  permissions: permissionsToText(r.permissions),
});

export const userFromRow = (row: UsersTable): UserRecord => ({
  id: row.id,
  name: row.name,
  isAdmin: bool(row.is_admin),
  enabled: bool(row.enabled),
  createdAt: row.created_at,
  passwordHash: row.password_hash ?? null,
  orgId: row.org_id ?? null,
  teamId: row.team_id ?? null,
  permissions: permissionsFromText(row.permissions, `users.${row.id}.permissions`),
});

export const userKeyToRow = (r: UserKeyRecord): UserKeysTable => ({
  id: r.id,
  user_id: r.userId,
  label: r.label,
  digest: r.digest,
  hint: r.hint,
  enabled: flag(r.enabled),
  expires_at: r.expiresAt,
  created_at: r.createdAt,
  permissions: permissionsToText(r.permissions),
  sealed_key: r.sealedKey,
});

export const userKeyFromRow = (row: UserKeysTable): UserKeyRecord => ({
  id: row.id,
  userId: row.user_id,
  label: row.label,
  digest: row.digest,
  hint: row.hint,
  enabled: bool(row.enabled),
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  permissions: permissionsFromText(row.permissions, `user_keys.${row.id}.permissions`),
  sealedKey: row.sealed_key ?? null,
});

export const usageToRow = (r: UsageRecord): UsageRecordsTable => ({
  request_id: r.requestId,
  created_at: r.createdAt,
  user_id: r.userId,
  user_key_id: r.userKeyId,
  operation: r.operation,
  client_wire: r.clientWire,
  upstream_wire: r.upstreamWire,
  requested_model: r.requestedModel,
  route_name: r.routeName,
  provider_name: r.providerName,
  credential_label: r.credentialLabel,
  upstream_model: r.upstreamModel,
  stream: flag(r.stream),
  status: r.status,
  end_state: r.endState,
  error_code: r.errorCode,
  attempts: r.attempts,
  input_tokens: r.inputTokens,
  output_tokens: r.outputTokens,
  cached_input_tokens: r.cachedInputTokens,
  cache_creation_tokens: r.cacheCreationTokens,
  reasoning_tokens: r.reasoningTokens,
  usage_source: r.usageSource,
  latency_ms: r.latencyMs,
  first_byte_ms: r.firstByteMs,
  cost_pico_usd: r.costPicoUsd,
  priced: flag(r.priced),
  price_rule: r.priceRule,
  cache_creation_1h_tokens: r.cacheCreation1hTokens,
  org_id: r.orgId,
  team_id: r.teamId,
});

export const usageFromRow = (row: UsageRecordsTable): UsageRecord => ({
  requestId: row.request_id,
  createdAt: row.created_at,
  userId: row.user_id,
  userKeyId: row.user_key_id,
  operation: row.operation as UsageRecord['operation'],
  clientWire: row.client_wire as UsageRecord['clientWire'],
  upstreamWire: row.upstream_wire as UsageRecord['upstreamWire'],
  requestedModel: row.requested_model,
  routeName: row.route_name,
  providerName: row.provider_name,
  credentialLabel: row.credential_label,
  upstreamModel: row.upstream_model,
  stream: bool(row.stream),
  status: num(row.status),
  endState: row.end_state as UsageRecord['endState'],
  errorCode: row.error_code,
  attempts: num(row.attempts),
  inputTokens: num(row.input_tokens),
  outputTokens: num(row.output_tokens),
  cachedInputTokens: num(row.cached_input_tokens),
  cacheCreationTokens: num(row.cache_creation_tokens),
  reasoningTokens: num(row.reasoning_tokens),
  usageSource: row.usage_source as UsageRecord['usageSource'],
  latencyMs: num(row.latency_ms),
  firstByteMs: row.first_byte_ms === null ? null : num(row.first_byte_ms),
  // Rows from before migration 0009 have no cost columns: they read as unpriced.
  costPicoUsd:
    row.cost_pico_usd === null || row.cost_pico_usd === undefined ? null : String(row.cost_pico_usd),
  priced: bool(row.priced),
  priceRule: row.price_rule ?? null,
  cacheCreation1hTokens: num(row.cache_creation_1h_tokens ?? 0),
  orgId: row.org_id ?? null,
  teamId: row.team_id ?? null,
});

export const priceRuleToRow = (r: PriceRuleRecord): PriceRulesTable => ({
  id: r.id,
  name: r.name,
  position: r.position,
  rule: JSON.stringify(r.rule),
});

export const priceRuleFromRow = (row: PriceRulesTable): PriceRuleRecord => {
  const parsed = priceRuleSchema.safeParse(parseJsonObject(row.rule, `price_rules[${row.id}].rule`));
  if (!parsed.success) throw new Error(`Stored price rule ${row.id} is not valid: ${parsed.error.message}`);
  return { id: row.id, name: row.name, position: num(row.position), rule: parsed.data };
};
