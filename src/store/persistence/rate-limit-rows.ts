/** Rate-limit records <-> `rate_limits` rows (migration 0010). */
import { z } from 'zod';
import type { RateLimitRecord } from '../../control-plane/model';
import type { RateLimitsTable } from './schema';

const count = z.number().int().min(0).nullable();
const storedLimits = z.object({
  route: z.string().nullable(),
  rpm: count,
  rpd: count,
  tpm: count,
  tpd: count,
  maxConcurrent: count,
});
const subjectKind = z.enum(['org', 'team', 'user', 'key']);

export const rateLimitToRow = (r: RateLimitRecord): RateLimitsTable => ({
  id: r.id,
  name: r.name,
  subject_kind: r.subjectKind,
  subject_id: r.subjectId,
  limits: JSON.stringify(r.limits),
});

export function rateLimitFromRow(row: RateLimitsTable): RateLimitRecord {
  let json: unknown;
  try {
    json = JSON.parse(row.limits);
  } catch {
    json = undefined;
  }
  const limits = storedLimits.safeParse(json);
  const kind = subjectKind.safeParse(row.subject_kind);
  if (!limits.success || !kind.success) throw new Error(`Stored rate limit ${row.id} is not valid`);
  return {
    id: row.id,
    name: row.name,
    subjectKind: kind.data,
    subjectId: row.subject_id,
    limits: limits.data,
  };
}
