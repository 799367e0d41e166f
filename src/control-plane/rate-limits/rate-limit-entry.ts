/**
 * A rate limit in its bundle shape (docs/tenancy.md, "Rate limits"): a unique name, exactly one
 * subject by name (`org`, `org` + `team`, `user`, or `user` + `key` label), an optional `route`
 * glob, and the limits, each optional:
 *
 *   { "name": "alice-gpt4", "user": "alice", "route": "gpt-4*", "rpm": 10, "tpm": 50000 }
 */
import { z } from 'zod';
import { checkSubject, subjectFields } from '../subject-entry';
import type { RateLimitValues } from '../model';

const limit = z
  .number()
  .int('Must be an integer')
  .min(0, 'Must be >= 0')
  .max(Number.MAX_SAFE_INTEGER, 'Too large')
  .nullable()
  .default(null);

export const rateLimitSchema = z
  .strictObject({
    ...subjectFields,
    rpm: limit,
    rpd: limit,
    tpm: limit,
    tpd: limit,
    max_concurrent: limit,
  })
  .superRefine(checkSubject);

export type RateLimitEntry = z.output<typeof rateLimitSchema>;

export function valuesOfEntry(entry: RateLimitEntry): RateLimitValues {
  return {
    route: entry.route,
    rpm: entry.rpm,
    rpd: entry.rpd,
    tpm: entry.tpm,
    tpd: entry.tpd,
    maxConcurrent: entry.max_concurrent,
  };
}

/** A `*`/`?` glob as an anchored regular expression. */
export function compileGlob(glob: string): RegExp {
  const source = glob
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's');
}
