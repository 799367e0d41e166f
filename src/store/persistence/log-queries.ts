/**
 * The audit trail and the usage ledger: audit inserts, paged reads newest first (keyset-page.ts),
 * and retention by age.
 */
import type { Kysely } from 'kysely';
import type { AuditQuery, AuditRecord, Page, UsageQuery } from '../../control-plane/audit-record';
import type { UsageRecord } from '../../control-plane/usage-record';
import { readPage } from './keyset-page';
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

export function queryAudit(db: Kysely<Database>, query: AuditQuery): Promise<Page<AuditRecord>> {
  return readPage(
    db.selectFrom('audit_records').selectAll(),
    { time: 'created_at', id: 'id' },
    [
      ['actor', query.actor],
      ['action', query.action],
    ],
    query,
    (row): AuditRecord => ({
      id: row.id,
      createdAt: row.created_at,
      actor: row.actor,
      action: row.action,
      target: row.target,
      status: Number(row.status),
      sourceAddress: row.source_address,
    }),
  );
}

export function queryUsage(db: Kysely<Database>, query: UsageQuery): Promise<Page<UsageRecord>> {
  return readPage(
    db.selectFrom('usage_records').selectAll(),
    { time: 'created_at', id: 'request_id' },
    [
      ['user_id', query.userId],
      ['provider_name', query.providerName],
      ['route_name', query.routeName],
      ['upstream_model', query.upstreamModel],
      ['end_state', query.endState],
    ],
    query,
    usageFromRow,
  );
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
