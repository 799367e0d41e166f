/**
 * Paginated reads of the append-only tables (audit trail, usage ledger), newest first, with an
 * opaque keyset cursor `(created_at, id)` so pages stay stable while new rows arrive. Portable
 * query shapes only: the same code serves SQLite, PostgreSQL, MySQL and libSQL.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import { GatewayError } from '../../core/errors';
import type { AuditQuery, AuditRecord, Page, UsageQuery } from '../../control-plane/audit-record';
import type { UsageRecord } from '../../control-plane/usage-record';
import { usageFromRow } from './rows';
import type { Database } from './schema';

export async function insertAudit(db: Kysely<Database>, record: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_records')
    .values({
      id: record.id,
      created_at: record.createdAt,
      actor: record.actor,
      action: record.action,
      target: record.target,
      status: record.status,
      source_address: record.sourceAddress,
    })
    .execute();
}

export async function queryAudit(db: Kysely<Database>, query: AuditQuery): Promise<Page<AuditRecord>> {
  let select = db.selectFrom('audit_records').selectAll();
  if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
  if (query.action !== undefined) select = select.where('action', '=', query.action);
  if (query.since !== undefined) select = select.where('created_at', '>=', query.since);
  if (query.until !== undefined) select = select.where('created_at', '<', query.until);
  const cursor = decodeCursor(query.before);
  if (cursor !== null) select = select.where((eb) => olderThan(eb, 'id', cursor));
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const data = rows.slice(0, query.limit).map((row): AuditRecord => ({
    id: row.id,
    createdAt: row.created_at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    status: Number(row.status),
    sourceAddress: row.source_address,
  }));
  const last = data.at(-1);
  return { data, next: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

export async function queryUsage(db: Kysely<Database>, query: UsageQuery): Promise<Page<UsageRecord>> {
  let select = db.selectFrom('usage_records').selectAll();
  if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
  if (query.providerName !== undefined) select = select.where('provider_name', '=', query.providerName);
  if (query.routeName !== undefined) select = select.where('route_name', '=', query.routeName);
  if (query.upstreamModel !== undefined) select = select.where('upstream_model', '=', query.upstreamModel);
  if (query.endState !== undefined) select = select.where('end_state', '=', query.endState);
  if (query.since !== undefined) select = select.where('created_at', '>=', query.since);
  if (query.until !== undefined) select = select.where('created_at', '<', query.until);
  const cursor = decodeCursor(query.before);
  if (cursor !== null) select = select.where((eb) => olderThan(eb, 'request_id', cursor));
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('request_id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const data = rows.slice(0, query.limit).map(usageFromRow);
  const last = data.at(-1);
  return {
    data,
    next: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.requestId) : null,
  };
}

interface Cursor {
  createdAt: string;
  id: string;
}

type KeyedTable = 'audit_records' | 'usage_records' | 'request_logs';

export function olderThan<T extends KeyedTable>(
  eb: ExpressionBuilder<Database, T>,
  idColumn: 'id' | 'request_id',
  cursor: Cursor,
) {
  const column = idColumn as never;
  return eb.or([
    eb('created_at' as never, '<', cursor.createdAt as never),
    eb.and([eb('created_at' as never, '=', cursor.createdAt as never), eb(column, '<', cursor.id as never)]),
  ]);
}

export function encodeCursor(createdAt: string, id: string): string {
  return btoa(JSON.stringify([createdAt, id]));
}

/** Null for an absent cursor; a malformed one is a caller error the admin API reports. */
export function decodeCursor(text: string | undefined): Cursor | null {
  if (text === undefined) return null;
  try {
    const value = JSON.parse(atob(text)) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string')
      return { createdAt: value[0], id: value[1] };
  } catch {
    // fall through
  }
  throw new GatewayError('invalid_request', 'before: not a cursor this API answered', { param: 'before' });
}

/** Deletes rows created before `beforeIso` (retention); resolves to how many went. */
export async function pruneOlderThan(
  db: Kysely<Database>,
  table: 'usage_records' | 'audit_records' | 'request_logs',
  beforeIso: string,
): Promise<number> {
  const result = await db.deleteFrom(table).where('created_at', '<', beforeIso).executeTakeFirst();
  return Number(result.numDeletedRows);
}
