/**
 * The versioned JSON bundle for importing and exporting the control plane (see docs/bundle.md).
 * Records are referred to by name, never by id, so a bundle moves between installations.
 */
import { z } from 'zod';
import { keyHint, sha256Hex } from '../core/digest';
import { BundleValidationError } from './bundle-errors';
import type { BundleIssue } from './bundle-errors';
import { aliasPatternProblem } from './alias-pattern';
import { instanceSettingsPatchSchema } from './instance-settings';
import { MIN_PASSWORD_LENGTH, PASSWORD_HASH_PATTERN, hashPassword } from './auth/passwords';
import { patternProblem } from './permissions';
import { namedPriceRuleSchema } from './pricing/price-rule';
import { quotaSchema } from './quotas/quota-entry';
import { rateLimitSchema } from './rate-limits/rate-limit-entry';
import { ruleSetSchema } from './rule-sets/rule-set-entry';
import type { AffinitySubject, AliasKind, RouteStrategy } from './model';
import { budgetSchema, credentialSettingsSchema, providerSettingsSchema } from './settings-schema';

export const BUNDLE_VERSION = 1;
const ROUTE_STRATEGIES = [
  'failover',
  'round_robin',
  'weighted',
  'least_latency',
] as const satisfies readonly RouteStrategy[];
const AFFINITY_SUBJECTS = [
  'user_key',
  'session',
  'conversation',
] as const satisfies readonly AffinitySubject[];
const ALIAS_KINDS = ['exact', 'regex'] as const satisfies readonly AliasKind[];
export const DEFAULT_AFFINITY_TTL_SECONDS = 3600;

const text = (max: number) =>
  z.string().min(1, 'Must not be empty').max(max, `Must be at most ${max} characters`);
const count = (fallback: number) =>
  z.number().int('Must be an integer').min(0, 'Must be >= 0').default(fallback);
const enabled = z.boolean().default(true);

export const credentialSchema = z.strictObject({
  label: text(200),
  /** Absent in exports without secrets; on import that keeps the stored secret. */
  secret: z.record(z.string(), z.string()).optional(),
  /** `proxy` and `tls`, overriding the provider's. */
  settings: credentialSettingsSchema.default({}),
  weight: count(1),
  /** Requests and tokens per minute; null or absent = unlimited. */
  rpm: budgetSchema,
  tpm: budgetSchema,
  enabled,
});

export const providerModelSchema = z.strictObject({
  /** The upstream model id. */
  model: text(200),
  display_name: z.string().max(200, 'Must be at most 200 characters').nullable().default(null),
  /** `manual` (added by an operator) or `pulled` (merged from a live model pull). */
  source: z.enum(['manual', 'pulled']).default('manual'),
  enabled,
});

export const providerSchema = z.strictObject({
  name: text(200).refine((name) => !name.includes('/'), 'Must not contain "/" (it separates provider/model)'),
  channel: text(64),
  /** Channel-specific, plus `rotation` and `sticky_ttl_seconds` (checked here). */
  settings: providerSettingsSchema.default({}),
  enabled,
  /** When present, replaces the provider's credentials; when absent, they are kept. */
  credentials: z.array(credentialSchema).optional(),
  /** When present, replaces the provider's model list; when absent, it is kept. */
  models: z.array(providerModelSchema).optional(),
});

export const memberSchema = z.strictObject({
  provider: text(200),
  model: text(200),
  tier: count(0),
  weight: count(1),
  enabled,
});

/** Keeps a subject on the member and credential that served it, for a rolling window. */
export const affinitySchema = z.strictObject({
  subject: z.enum(AFFINITY_SUBJECTS, { error: 'Must be "user_key", "session" or "conversation"' }),
  ttl_seconds: z
    .number()
    .int('Must be an integer')
    .min(1, 'Must be a positive integer')
    .max(30 * 86_400, 'Must be at most 30 days')
    .default(DEFAULT_AFFINITY_TTL_SECONDS),
});

export const routeSchema = z.strictObject({
  name: text(200),
  strategy: z.enum(ROUTE_STRATEGIES).default('failover'),
  enabled,
  /** Null or absent: no affinity. */
  affinity: affinitySchema.nullable().default(null),
  /** When present, replaces the route's members; when absent, they are kept. */
  members: z.array(memberSchema).optional(),
});

export const aliasSchema = z
  .strictObject({
    /** The model name as clients send it; for `regex`, a pattern matched against the whole name. */
    name: text(255),
    target: text(400),
    kind: z.enum(ALIAS_KINDS, { error: 'Must be "exact" or "regex"' }).default('exact'),
    /** A provider name: the alias then applies to that provider's model ids only. Null: global. */
    provider: text(200).nullable().default(null),
  })
  .superRefine((alias, ctx) => {
    if (alias.kind !== 'regex') return;
    const problem = aliasPatternProblem(alias.name, alias.target);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });

/**
 * Grants: glob patterns on model, route and `provider/model` names (docs/tenancy.md). Absent on
 * import: the stored grants are kept (a new record gets none).
 */
export const permissionsSchema = z
  .array(
    z.string().superRefine((pattern, ctx) => {
      const problem = patternProblem(pattern);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    }),
  )
  .max(200, 'At most 200 patterns')
  .optional();

const entityName = text(200).refine((name) => !name.includes('/'), 'Must not contain "/"');

export const teamSchema = z.strictObject({
  name: entityName,
  enabled,
  permissions: permissionsSchema,
});

export const orgSchema = z.strictObject({
  name: entityName,
  enabled,
  permissions: permissionsSchema,
  /** When present, replaces the org's teams (matched by name); when absent, they are kept. */
  teams: z.array(teamSchema).optional(),
});

export const userKeySchema = z
  .strictObject({
    label: text(200),
    /** The plaintext key; only its SHA-256 digest is stored. */
    key: z.string().min(8, 'Must be at least 8 characters').max(512).optional(),
    /** The hex SHA-256 of the key, as exports write it. */
    digest: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'Must be 64 hex characters (a SHA-256 digest)')
      .transform((digest) => digest.toLowerCase())
      .optional(),
    enabled,
    expires_at: z.iso
      .datetime({ offset: true, error: 'Must be an ISO-8601 date-time or null' })
      .nullable()
      .default(null),
    permissions: permissionsSchema,
  })
  .superRefine((entry, ctx) => {
    if ((entry.key === undefined) === (entry.digest === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'Give exactly one of "key" or "digest"' });
    }
  });

export const userSchema = z
  .strictObject({
    name: text(200),
    admin: z.boolean().default(false),
    enabled,
    /** The user's org, by name; null: none. Absent (with `team`): the stored placement is kept. */
    org: text(200).nullable().optional(),
    /** A team of `org`, by name; null or absent: none. Needs `org`. */
    team: text(200).nullable().optional(),
    permissions: permissionsSchema,
    /** Console password, plaintext; only its argon2id hash is stored. Absent: the stored one is kept. */
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `Must be at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(1024, 'Must be at most 1024 characters')
      .optional(),
    /** The argon2id hash as exports write it; null removes console login. Absent: kept. */
    password_hash: z
      .string()
      .regex(PASSWORD_HASH_PATTERN, 'Must be an argon2id PHC string ($argon2id$v=19$...)')
      .nullable()
      .optional(),
    /** When present, replaces the user's keys (matched by label); when absent, they are kept. */
    keys: z.array(userKeySchema).optional(),
  })
  .superRefine((user, ctx) => {
    if (user.team !== undefined && user.team !== null && (user.org === undefined || user.org === null))
      ctx.addIssue({
        code: 'custom',
        path: ['org'],
        message: 'Required with "team" (teams are named within their org)',
      });
    if (user.password !== undefined && user.password_hash !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'Give "password" or "password_hash", not both',
      });
  });

export const bundleSchema = z.strictObject({
  version: z.literal(BUNDLE_VERSION, { error: `Unsupported bundle version; expected ${BUNDLE_VERSION}` }),
  orgs: z.array(orgSchema).default([]),
  providers: z.array(providerSchema).default([]),
  routes: z.array(routeSchema).default([]),
  aliases: z.array(aliasSchema).default([]),
  users: z.array(userSchema).default([]),
  /** Operator price rules, by name, in order (docs/billing.md); they go before the default catalogue. */
  prices: z.array(namedPriceRuleSchema).default([]),
  /** Rate limits per org, team, user or key, by name (docs/tenancy.md). */
  rate_limits: z.array(rateLimitSchema).default([]),
  /** USD quotas per org, team, user or key, by name (docs/tenancy.md, "Quotas"). */
  quotas: z.array(quotaSchema).default([]),
  /** Request/response mutation rules, by name (docs/rule-sets.md); providers attach them. */
  rule_sets: z.array(ruleSetSchema).default([]),
  /** Instance settings; the keys present replace the stored values, absent keys are kept. */
  settings: instanceSettingsPatchSchema.optional(),
});

/** A bundle with defaults applied: what export produces and import accepts. */
export type Bundle = z.output<typeof bundleSchema>;
export type BundleUserKey = z.output<typeof userKeySchema>;

/** A user key with its digest resolved; plaintext keys go no further than `prepareBundle`. */
export interface PreparedUserKey {
  label: string;
  digest: string;
  /** A display hint, known only when the plaintext key was given. */
  hint: string | null;
  enabled: boolean;
  expires_at: string | null;
  /** Absent: the stored grants are kept. */
  permissions?: string[] | undefined;
}

export type PreparedBundle = Omit<Bundle, 'users'> & {
  users: (Omit<Bundle['users'][number], 'keys' | 'password'> & { keys?: PreparedUserKey[] })[];
};

/** Validates the shape and the rules that need only the bundle itself. */
export function parseBundle(json: unknown): Bundle {
  const result = bundleSchema.safeParse(json, {
    // zod's default text for a missing field is a type mismatch against undefined.
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined),
  });
  if (!result.success) {
    throw new BundleValidationError(result.error.issues.map((i) => ({ path: i.path, message: i.message })));
  }
  const issues = checkUniqueness(result.data);
  if (issues.length > 0) throw new BundleValidationError(issues);
  return result.data;
}

/** Parses, then hashes plaintext keys so nothing downstream sees them. */
export async function prepareBundle(json: unknown): Promise<PreparedBundle> {
  const bundle = parseBundle(json);
  const users = await Promise.all(
    bundle.users.map(async ({ password, ...user }) => {
      const hashed = password === undefined ? {} : { password_hash: await hashPassword(password) };
      if (user.keys === undefined) return { ...user, ...hashed, keys: undefined };
      const keys = await Promise.all(user.keys.map(prepareKey));
      return { ...user, ...hashed, keys };
    }),
  );
  const seen = new Map<string, string>();
  const issues: BundleIssue[] = [];
  users.forEach((user, u) =>
    user.keys?.forEach((key, k) => {
      const first = seen.get(key.digest);
      if (first !== undefined)
        issues.push({ path: ['users', u, 'keys', k], message: `Same key as ${first}` });
      else seen.set(key.digest, `users[${u}].keys[${k}]`);
    }),
  );
  if (issues.length > 0) throw new BundleValidationError(issues);
  return { ...bundle, users };
}

async function prepareKey(entry: BundleUserKey): Promise<PreparedUserKey> {
  const { label, enabled, expires_at, permissions } = entry;
  if (entry.key !== undefined) {
    const digest = await sha256Hex(entry.key);
    return { label, digest, hint: keyHint(entry.key), enabled, expires_at, permissions };
  }
  // The schema guarantees one of key/digest.
  return { label, digest: entry.digest ?? '', hint: null, enabled, expires_at, permissions };
}

function checkUniqueness(bundle: Bundle): BundleIssue[] {
  const issues: BundleIssue[] = [];
  const unique = (list: readonly { name: string }[], what: string, collection: string): void =>
    duplicates(
      list.map((item) => item.name),
      (index, first) =>
        issues.push({
          path: [collection, index, 'name'],
          message: `Duplicate ${what} name (first at ${collection}[${first}])`,
        }),
    );
  unique(bundle.providers, 'provider', 'providers');
  unique(bundle.routes, 'route', 'routes');
  // Aliases are unique per scope: the same name may exist globally and for a provider.
  duplicates(
    bundle.aliases.map((alias) => `${alias.provider ?? ''}\u0000${alias.name}`),
    (index, first) =>
      issues.push({
        path: ['aliases', index, 'name'],
        message: `Duplicate alias name (first at aliases[${first}])`,
      }),
  );
  unique(bundle.users, 'user', 'users');
  unique(bundle.orgs, 'org', 'orgs');
  unique(bundle.prices, 'price rule', 'prices');
  unique(bundle.rate_limits, 'rate limit', 'rate_limits');
  unique(bundle.quotas, 'quota', 'quotas');
  unique(bundle.rule_sets, 'rule set', 'rule_sets');
  bundle.orgs.forEach((org, o) =>
    duplicates(org.teams?.map((t) => t.name) ?? [], (index, first) =>
      issues.push({
        path: ['orgs', o, 'teams', index, 'name'],
        message: `Duplicate team name (first at orgs[${o}].teams[${first}])`,
      }),
    ),
  );
  bundle.providers.forEach((provider, p) =>
    duplicates(provider.models?.map((m) => m.model) ?? [], (index, first) =>
      issues.push({
        path: ['providers', p, 'models', index, 'model'],
        message: `Duplicate model (first at providers[${p}].models[${first}])`,
      }),
    ),
  );
  bundle.providers.forEach((provider, p) =>
    duplicates(provider.credentials?.map((c) => c.label) ?? [], (index, first) =>
      issues.push({
        path: ['providers', p, 'credentials', index, 'label'],
        message: `Duplicate credential label (first at providers[${p}].credentials[${first}])`,
      }),
    ),
  );
  bundle.users.forEach((user, u) =>
    duplicates(user.keys?.map((k) => k.label) ?? [], (index, first) =>
      issues.push({
        path: ['users', u, 'keys', index, 'label'],
        message: `Duplicate key label (first at users[${u}].keys[${first}])`,
      }),
    ),
  );
  return issues;
}

function duplicates(values: readonly string[], report: (index: number, first: number) => void): void {
  const firstIndex = new Map<string, number>();
  values.forEach((value, index) => {
    const first = firstIndex.get(value);
    if (first === undefined) firstIndex.set(value, index);
    else report(index, first);
  });
}
