/**
 * Hourly usage rollups (control-plane/usage-rollup.ts) in the store: rows built from the usage
 * rows a batch newly inserted, added to the stored sums by an upsert (the dialect hook of the store:
 * ON CONFLICT ... DO UPDATE on SQLite, PostgreSQL and libSQL, ON DUPLICATE KEY UPDATE on MySQL),
 * and paginated reads. Money and counts are bound as text where they may exceed 2^53 and read back
 * as text, so no driver rounds them through a double.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { sha256Hex } from '../../core/digest';
import type { Page } from '../../control-plane/audit-record';
import { hourOf, type UsageRollup, type UsageRollupQuery } from '../../control-plane/usage-rollup';
import { readPage } from './keyset-page';
import { isMysql } from './migrations/dialect';
import type { Database, UsageRecordsTable, UsageRollupsTable } from './schema';

/** The columns a rollup is keyed by (their digest is its id). */
export const ROLLUP_DIMENSIONS = [
  'hour',
  'org_id',
  'team_id',
  'user_id',
  'user_key_id',
  'route_name',
  'provider_name',
  'upstream_model',
] as const;

/** The summed columns, as the upsert adds them. */
export const ROLLUP_SUMS = [
  'requests',
  'errors',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_creation_tokens',
  'reasoning_tokens',
  'cost_pico_usd',
  'unpriced_requests',
] as const;

export type RollupUpsert = (trx: Transaction<Database>, rows: UsageRollupsTable[]) => Promise<void>;

/** Upsert-add for SQLite, PostgreSQL and libSQL. */
export async function upsertRollupsOnConflict(
  trx: Transaction<Database>,
  rows: UsageRollupsTable[],
): Promise<void> {
  await trx
    .insertInto('usage_rollups')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet(
          Object.fromEntries(
            ROLLUP_SUMS.map((column) => [
              column,
              sql`${sql.ref(`usage_rollups.${column}`)} + ${sql.ref(`excluded.${column}`)}`,
            ]),
          ),
        ),
    )
    .execute();
}

/** A usage row's rollup: the digest of its dimensions, and the dimensions. */
export type RollupKey = Pick<
  UsageRollupsTable,
  | 'id'
  | 'hour'
  | 'org_id'
  | 'team_id'
  | 'user_id'
  | 'user_key_id'
  | 'route_name'
  | 'provider_name'
  | 'upstream_model'
>;

/** The rollup key of each usage row, by request id (async: the digest is WebCrypto's). */
export async function rollupKeys(rows: readonly UsageRecordsTable[]): Promise<Map<string, RollupKey>> {
  const keys = new Map<string, RollupKey>();
  const digests = new Map<string, string>();
  for (const usage of rows) {
    const dims = {
      hour: hourOf(usage.created_at),
      org_id: usage.org_id,
      team_id: usage.team_id,
      user_id: usage.user_id,
      user_key_id: usage.user_key_id,
      route_name: usage.route_name,
      provider_name: usage.provider_name,
      upstream_model: usage.upstream_model,
    };
    const text = JSON.stringify(Object.values(dims));
    let id = digests.get(text);
    if (id === undefined) {
      id = await sha256Hex(text);
      digests.set(text, id);
    }
    keys.set(usage.request_id, { id, ...dims });
  }
  return keys;
}

/** Sums per rollup of the given (newly inserted) usage rows; `keys` from rollupKeys. */
export function sumRollups(
  rows: readonly UsageRecordsTable[],
  keys: ReadonlyMap<string, RollupKey>,
): UsageRollupsTable[] {
  const sums = new Map<string, { row: UsageRollupsTable; cost: bigint }>();
  for (const usage of rows) {
    const key = keys.get(usage.request_id);
    if (key === undefined) continue;
    let entry = sums.get(key.id);
    if (entry === undefined) {
      entry = {
        row: {
          ...key,
          requests: 0,
          errors: 0,
          input_tokens: 0,
          output_tokens: 0,
          cached_input_tokens: 0,
          cache_creation_tokens: 0,
          reasoning_tokens: 0,
          cost_pico_usd: '0',
          unpriced_requests: 0,
        },
        cost: 0n,
      };
      sums.set(key.id, entry);
    }
    const row = entry.row;
    row.requests = Number(row.requests) + 1;
    row.errors = Number(row.errors) + (usage.end_state === 'complete' ? 0 : 1);
    row.input_tokens = Number(row.input_tokens) + usage.input_tokens;
    row.output_tokens = Number(row.output_tokens) + usage.output_tokens;
    row.cached_input_tokens = Number(row.cached_input_tokens) + usage.cached_input_tokens;
    row.cache_creation_tokens = Number(row.cache_creation_tokens) + usage.cache_creation_tokens;
    row.reasoning_tokens = Number(row.reasoning_tokens) + usage.reasoning_tokens;
    if (usage.cost_pico_usd !== null) entry.cost += BigInt(usage.cost_pico_usd);
    else if (usage.usage_source !== 'none') row.unpriced_requests = Number(row.unpriced_requests) + 1;
  }
  return [...sums.values()].map(({ row, cost }) => ({ ...row, cost_pico_usd: cost.toString() }));
}

/** Request ids of `ids` already in the ledger (a retried batch: those are not rolled up again). */
export async function storedRequestIds(
  trx: Transaction<Database>,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx
      .selectFrom('usage_records')
      .select('request_id')
      .where('request_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) found.add(row.request_id);
  }
  return found;
}

export function queryUsageRollups(db: Kysely<Database>, query: UsageRollupQuery): Promise<Page<UsageRollup>> {
  // MySQL casts to `char`; PostgreSQL would read `char` as char(1), hence `text` elsewhere.
  const textType = isMysql(db as unknown as Kysely<unknown>) ? 'char' : 'text';
  const asText = (column: (typeof ROLLUP_SUMS)[number]) =>
    sql<string>`cast(${sql.ref(column)} as ${sql.raw(textType)})`.as(column);
  return readPage(
    db.selectFrom('usage_rollups').select(['id', ...ROLLUP_DIMENSIONS, ...ROLLUP_SUMS.map(asText)]),
    { time: 'hour', id: 'id' },
    [
      ['org_id', query.orgId],
      ['team_id', query.teamId],
      ['user_id', query.userId],
      ['user_key_id', query.userKeyId],
      ['route_name', query.routeName],
      ['provider_name', query.providerName],
      ['upstream_model', query.upstreamModel],
    ],
    query,
    (row): UsageRollup => ({
      hour: row.hour,
      orgId: row.org_id,
      teamId: row.team_id,
      userId: row.user_id,
      userKeyId: row.user_key_id,
      routeName: row.route_name,
      providerName: row.provider_name,
      upstreamModel: row.upstream_model,
      requests: Number(row.requests),
      errors: Number(row.errors),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cachedInputTokens: Number(row.cached_input_tokens),
      cacheCreationTokens: Number(row.cache_creation_tokens),
      reasoningTokens: Number(row.reasoning_tokens),
      costPicoUsd: String(row.cost_pico_usd),
      unpricedRequests: Number(row.unpriced_requests),
    }),
  );
}

/** Deletes the rollups of hours that start before `beforeIso` (retention); resolves to the count. */
export async function pruneRollupsBefore(db: Kysely<Database>, beforeIso: string): Promise<number> {
  const result = await db.deleteFrom('usage_rollups').where('hour', '<', beforeIso).executeTakeFirst();
  return Number(result.numDeletedRows);
}
