/**
 * The subject part that rate limits and quotas share in their bundle shape: a unique name, exactly
 * one subject by name (`org`, `org` + `team`, `user`, or `user` + `key` label) and an optional
 * `route` glob. Each adds its own values to these fields and checks them with `checkSubject`.
 */
import { z } from 'zod';

const name = z.string().min(1, 'Must not be empty').max(200, 'Must be at most 200 characters');

export const subjectFields = {
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
};

interface SubjectNames {
  org?: string | undefined;
  team?: string | undefined;
  user?: string | undefined;
  key?: string | undefined;
}

export function checkSubject(entry: SubjectNames, ctx: z.RefinementCtx): void {
  if (entry.team !== undefined && entry.org === undefined)
    ctx.addIssue({ code: 'custom', path: ['org'], message: 'Required with "team"' });
  if (entry.key !== undefined && entry.user === undefined)
    ctx.addIssue({ code: 'custom', path: ['user'], message: 'Required with "key"' });
  if ((entry.org === undefined) === (entry.user === undefined))
    ctx.addIssue({
      code: 'custom',
      path: ['user'],
      message: 'Give exactly one subject: "org" (with an optional "team") or "user" (with an optional "key")',
    });
}
