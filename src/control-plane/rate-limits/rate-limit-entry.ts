/**
 * A rate limit in its bundle shape (docs/tenancy.md, "Rate limits"): a unique name, exactly one
 * subject by name (`org`, `org` + `team`, `user`, or `user` + `key` label), an optional `route`
 * glob, and the limits, each optional:
 *
 *   { "name": "alice-gpt4", "user": "alice", "route": "gpt-4*", "rpm": 10, "tpm": 50000 }
 */
import { z } from 'zod';
import type { RateLimitValues } from '../model';

const name = z.string().min(1, 'Must not be empty').max(200, 'Must be at most 200 characters');
const limit = z
  .number()
  .int('Must be an integer')
  .min(0, 'Must be >= 0')
  .max(Number.MAX_SAFE_INTEGER, 'Too large')
  .nullable()
  .default(null);

export const rateLimitSchema = z
  .strictObject({
    name,
    org: name.optional(),
    /** A team of `org`. */
    team: name.optional(),
    user: name.optional(),
    /** A key of `user`, by label. */
    key: name.optional(),
    /** `*` any run of characters, `?` one; matched against the model name sent and the route. */
    route: z
      .string()
      .min(1, 'Must not be empty')
      .max(400, 'Must be at most 400 characters')
      .regex(/^\S+$/, 'Must not contain white space')
      .nullable()
      .default(null),
    rpm: limit,
    rpd: limit,
    tpm: limit,
    tpd: limit,
    max_concurrent: limit,
  })
  .superRefine((entry, ctx) => {
    if (entry.team !== undefined && entry.org === undefined)
      ctx.addIssue({ code: 'custom', path: ['org'], message: 'Required with "team"' });
    if (entry.key !== undefined && entry.user === undefined)
      ctx.addIssue({ code: 'custom', path: ['user'], message: 'Required with "key"' });
    if ((entry.org === undefined) === (entry.user === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['user'],
        message:
          'Give exactly one subject: "org" (with an optional "team") or "user" (with an optional "key")',
      });
  });

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
