/**
 * The admin API edits records through the bundle: a write becomes a one-entry bundle merged by
 * `planImport`, so the admin API and `gproxy import` share every validation rule (names, targets,
 * member providers, key digests) and every default. Errors are re-rooted at the request body, so
 * `providers[0].settings.base_url: …` reads `settings.base_url: …` to an admin API caller.
 */
import type { z } from 'zod';
import { GatewayError } from '../../core/errors';
import { BUNDLE_VERSION, prepareBundle } from '../bundle';
import { BundleValidationError, formatIssuePath } from '../bundle-errors';
import type { BundleIssue } from '../bundle-errors';
import { planImport } from '../import-plan';
import type { ControlPlaneData } from '../model';

export type Section =
  'orgs' | 'providers' | 'routes' | 'aliases' | 'users' | 'prices' | 'rate_limits' | 'quotas' | 'rule_sets';
export type Entry = Record<string, unknown>;

/** Merges `entries` into `data` as `gproxy import` would; throws field-named errors. */
export async function applyEntries(
  data: ControlPlaneData,
  section: Section,
  entries: Entry[],
  root: readonly PropertyKey[],
  now: Date,
): Promise<ControlPlaneData> {
  try {
    const bundle = await prepareBundle({ version: BUNDLE_VERSION, [section]: entries });
    return planImport(data, bundle, { now }).next;
  } catch (error) {
    if (error instanceof BundleValidationError) throw invalidBody(error.details, root);
    throw error;
  }
}

/** Validates a request body with a record schema; errors name the body's fields. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined),
  });
  if (result.success) return result.data;
  throw invalidBody(
    result.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
    [],
  );
}

/** `root` is the bundle path of the entry the body became, e.g. `['providers', 0]`. */
function invalidBody(issues: readonly BundleIssue[], root: readonly PropertyKey[]): GatewayError {
  const rerooted = issues.map((issue) => {
    const inside = root.every((segment, i) => issue.path[i] === segment);
    return { path: inside ? issue.path.slice(root.length) : issue.path, message: issue.message };
  });
  const lines = rerooted.map(
    (issue) => `${issue.path.length === 0 ? 'body' : formatIssuePath(issue.path)}: ${issue.message}`,
  );
  const first = rerooted[0];
  return new GatewayError('invalid_request', lines.join('; '), {
    param: first === undefined || first.path.length === 0 ? undefined : formatIssuePath(first.path),
  });
}

export function notFound(what: string, name: string): GatewayError {
  return new GatewayError('not_found', `No ${what} named "${name}".`);
}

export function conflict(message: string): GatewayError {
  return new GatewayError('conflict', message);
}

/** Shows enough of a secret to recognise it, never enough to use it. */
export function maskSecret(value: string): string {
  if (value.length < 12) return '••••';
  return `${value.slice(0, 3)}…${value.slice(-4)}`;
}

export function withoutKeys(entry: Entry, keys: readonly string[]): Entry {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !keys.includes(key)));
}
