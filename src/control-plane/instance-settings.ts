/**
 * Instance settings: operator choices that apply to the whole installation rather than to one
 * record. Stored one row per setting (JSON value), exported in bundles under `settings`, edited at
 * /admin/settings. Unknown keys are refused, so a typo cannot silently do nothing.
 */
import { z } from 'zod';

const retentionDays = z
  .number()
  .int('Must be an integer')
  .min(1, 'Must be at least 1 day')
  .max(36_500, 'Must be at most 36500 days')
  .nullable();

export const instanceSettingsSchema = z.strictObject({
  /** Usage records older than this many days are deleted; null keeps them forever. */
  usage_retention_days: retentionDays.default(null),
  /**
   * Hourly usage rollups older than this many days are deleted; null (the default) keeps them
   * forever. Quota counters are rebuilt from the rollups when the cache backend loses them, so a
   * `total` budget only counts the spend still rolled up (docs/tenancy.md, "Quotas").
   */
  rollup_retention_days: retentionDays.default(null),
  /** Audit records older than this many days are deleted; null keeps them forever. */
  audit_retention_days: retentionDays.default(null),
  /** Which requests get a request-log record: none, those that did not end complete, or all. */
  request_log: z
    .enum(['off', 'errors', 'all'], { error: 'Must be "off", "errors" or "all"' })
    .default('errors'),
  /** Request-log records older than this many days are deleted; null keeps them forever. */
  request_log_retention_days: retentionDays.default(14),
  /** Keep the client's request headers and body (redacted) in request-log records. */
  capture_bodies: z.boolean().default(false),
  /**
   * Keep the answer the client received (status, headers, body; streams as they passed) in
   * request-log records, redacted, and the upstream's own error body when it answered with one.
   */
  capture_responses: z.boolean().default(false),
  /** Captured bodies (requests and responses alike) are cut to this many bytes. */
  capture_max_bytes: z
    .number()
    .int('Must be an integer')
    .min(256, 'Must be at least 256')
    .max(1_048_576, 'Must be at most 1048576')
    .default(16_384),
  /**
   * Refuse, before sending, a request none of whose candidates has a price rule (403
   * `unpriced_model`); off: such requests go through and their usage records are flagged unpriced.
   */
  refuse_unpriced: z.boolean().default(false),
  /**
   * When the cache backend (rate-limit counters) cannot be reached: `refuse` answers 503, `allow`
   * admits without counting (and logs a warning). Only requests that a rate limit applies to wait
   * for the cache.
   */
  limits_when_cache_down: z
    .enum(['refuse', 'allow'], { error: 'Must be "refuse" or "allow"' })
    .default('refuse'),
});

/** What a bundle or a PATCH may carry (some of the keys); absent keys are left as they are. */
export const instanceSettingsPatchSchema = instanceSettingsSchema.partial();

export type InstanceSettings = z.output<typeof instanceSettingsSchema>;

export const DEFAULT_INSTANCE_SETTINGS: InstanceSettings = instanceSettingsSchema.parse({});

/** Stored rows -> settings with defaults; a stored key this version does not know is ignored. */
export function readInstanceSettings(records: readonly { id: string; value: unknown }[]): InstanceSettings {
  const known = new Set(Object.keys(instanceSettingsSchema.shape));
  const stored = Object.fromEntries(records.filter((r) => known.has(r.id)).map((r) => [r.id, r.value]));
  const parsed = instanceSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_INSTANCE_SETTINGS;
}

/** Settings -> stored rows (every key, so an export shows the effective values). */
export function instanceSettingRecords(settings: InstanceSettings): { id: string; value: unknown }[] {
  return Object.entries(settings)
    .map(([id, value]) => ({ id, value }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
