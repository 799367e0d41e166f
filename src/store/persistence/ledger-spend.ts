/**
 * Sums of the hourly rollups' cost per subject, route, provider and upstream model since an hour
 * (control-plane/quotas/ledger-spend.ts): what quota counters are rebuilt from. Portable SQL for
 * every dialect. SQLite adds 64-bit integers and fails past 2^63 pico-USD (about $9.2M), so each
 * cost is summed in two parts that cannot overflow: whole micro-USD and the pico-USD remainder,
 * put back together exactly in JS.
 */
import { sql, type Kysely } from 'kysely';
import type { LedgerSpend, LedgerSpendQuery } from '../../control-plane/quotas/ledger-spend';
import type { RateLimitSubjectKind } from '../../control-plane/model';
import { isMysql } from './migrations/dialect';
import type { Database } from './schema';

const SUBJECT_COLUMN = {
  org: 'org_id',
  team: 'team_id',
  user: 'user_id',
  key: 'user_key_id',
} as const satisfies Record<RateLimitSubjectKind, string>;

const PICO_PER_MICRO = 1_000_000n;
const IDS_PER_QUERY = 500;

/** A driver's integer or decimal (number, bigint or text such as `12` or `12.0000`) as a bigint. */
function wholeNumber(value: string | number | bigint | null): bigint {
  const text = String(value ?? '0');
  return BigInt(text.replace(/\.0*$/, ''));
}

export async function sumLedgerSpend(db: Kysely<Database>, query: LedgerSpendQuery): Promise<LedgerSpend[]> {
  const mysql = isMysql(db as unknown as Kysely<unknown>);
  const textType = mysql ? 'char' : 'text';
  const cost = sql.ref('cost_pico_usd');
  // MySQL's `/` is decimal division (rounded to 4 places); DIV is its integer division.
  const micro = mysql ? sql`${cost} div 1000000` : sql`${cost} / 1000000`;
  const subject = SUBJECT_COLUMN[query.subjectKind];
  const spends: LedgerSpend[] = [];
  const ids = [...new Set(query.subjectIds)];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('usage_rollups')
      .select([
        sql<string>`${sql.ref(subject)}`.as('subject_id'),
        'route_name',
        'provider_name',
        'upstream_model',
        sql<string>`cast(sum(${micro}) as ${sql.raw(textType)})`.as('micro'),
        sql<string>`cast(sum(${cost} % 1000000) as ${sql.raw(textType)})`.as('pico'),
      ])
      .where(subject, 'in', ids.slice(i, i + IDS_PER_QUERY))
      .where('hour', '>=', query.since)
      .groupBy([subject, 'route_name', 'provider_name', 'upstream_model'])
      .execute();
    for (const row of rows) {
      const total = wholeNumber(row.micro) * PICO_PER_MICRO + wholeNumber(row.pico);
      if (total === 0n) continue;
      spends.push({
        subjectId: row.subject_id,
        routeName: row.route_name,
        providerName: row.provider_name,
        upstreamModel: row.upstream_model,
        costPicoUsd: total.toString(),
      });
    }
  }
  return spends;
}
