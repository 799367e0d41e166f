/**
 * A quota in its bundle shape (docs/tenancy.md, "Quotas"): a unique name, exactly one subject by
 * name (`org`, `org` + `team`, `user`, or `user` + `key` label), an optional `route` glob, and USD
 * budgets as decimal strings or numbers, each optional:
 *
 *   { "name": "alice-monthly", "user": "alice", "daily": "2.50", "monthly": 40 }
 */
import { z } from 'zod';
import { checkSubject, subjectFields } from '../subject-entry';
import type { QuotaValues } from '../model';
import { canonicalDecimal, decimalPlaces } from '../pricing/money';

/** At most a billion USD, to the micro-dollar: a budget in micro-USD stays a safe integer. */
const MAX_BUDGET_USD = 1_000_000_000;

const budget = z
  .union([z.string(), z.number()])
  .nullable()
  .default(null)
  .transform((value, ctx) => {
    if (value === null) return null;
    const canonical = canonicalDecimal(value);
    if (canonical === null) {
      ctx.addIssue({ code: 'custom', message: 'Must be a non-negative decimal amount of USD' });
      return z.NEVER;
    }
    if (decimalPlaces(canonical) > 6) {
      ctx.addIssue({ code: 'custom', message: 'Must have at most 6 decimal places (micro-USD)' });
      return z.NEVER;
    }
    if (Number(canonical) > MAX_BUDGET_USD) {
      ctx.addIssue({ code: 'custom', message: `Must be at most ${MAX_BUDGET_USD}` });
      return z.NEVER;
    }
    return canonical;
  });

export const quotaSchema = z
  .strictObject({
    ...subjectFields,
    total: budget,
    daily: budget,
    weekly: budget,
    monthly: budget,
  })
  .superRefine(checkSubject);

export type QuotaEntry = z.output<typeof quotaSchema>;

export function budgetsOfEntry(entry: QuotaEntry): QuotaValues {
  return {
    route: entry.route,
    total: entry.total,
    daily: entry.daily,
    weekly: entry.weekly,
    monthly: entry.monthly,
  };
}
