/** Quota records <-> `quotas` rows (migration 0011), and their read inside a load transaction. */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { QuotaRecord } from '../../control-plane/model';
import type { Database, QuotasTable } from './schema';

const usd = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .nullable();
const storedBudgets = z.object({
  route: z.string().nullable(),
  total: usd,
  daily: usd,
  weekly: usd,
  monthly: usd,
});
const subjectKind = z.enum(['org', 'team', 'user', 'key']);

export const quotaToRow = (q: QuotaRecord): QuotasTable => ({
  id: q.id,
  name: q.name,
  subject_kind: q.subjectKind,
  subject_id: q.subjectId,
  budgets: JSON.stringify(q.budgets),
});

export function quotaFromRow(row: QuotasTable): QuotaRecord {
  let json: unknown;
  try {
    json = JSON.parse(row.budgets);
  } catch {
    json = undefined;
  }
  const budgets = storedBudgets.safeParse(json);
  const kind = subjectKind.safeParse(row.subject_kind);
  if (!budgets.success || !kind.success) throw new Error(`Stored quota ${row.id} is not valid`);
  return {
    id: row.id,
    name: row.name,
    subjectKind: kind.data,
    subjectId: row.subject_id,
    budgets: budgets.data,
  };
}

export async function readQuotas(trx: Transaction<Database>): Promise<QuotaRecord[]> {
  return (await trx.selectFrom('quotas').selectAll().orderBy('name').execute()).map(quotaFromRow);
}
