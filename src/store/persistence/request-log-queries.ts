/** Writing and reading the request log (control-plane/request-log.ts); newest first, keyset paged. */
import type { Kysely } from 'kysely';
import type { Page } from '../../control-plane/audit-record';
import type { RequestLogQuery, RequestLogRecord } from '../../control-plane/request-log';
import { decodeCursor, encodeCursor, olderThan } from './log-queries';
import type { Database, RequestLogsTable } from './schema';

const json = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

function toRow(r: RequestLogRecord): RequestLogsTable {
  return {
    id: r.requestId,
    created_at: r.createdAt,
    user_id: r.userId,
    operation: r.operation,
    client_wire: r.clientWire,
    model: r.model,
    route_name: r.routeName,
    status: r.status,
    end_state: r.endState,
    error_code: r.errorCode,
    latency_ms: r.latencyMs,
    route_header: r.routeHeader,
    attempts: JSON.stringify(r.attempts ?? []),
    warnings: json(r.warnings),
    request_headers: json(r.requestHeaders),
    request_body: r.requestBody,
  };
}

function fromRow(row: RequestLogsTable): RequestLogRecord {
  return {
    requestId: row.id,
    createdAt: row.created_at,
    userId: row.user_id,
    operation: row.operation as RequestLogRecord['operation'],
    clientWire: row.client_wire as RequestLogRecord['clientWire'],
    model: row.model,
    routeName: row.route_name,
    status: Number(row.status),
    endState: row.end_state as RequestLogRecord['endState'],
    errorCode: row.error_code,
    latencyMs: Number(row.latency_ms),
    routeHeader: row.route_header,
    attempts: JSON.parse(row.attempts) as unknown,
    warnings: row.warnings === null ? null : (JSON.parse(row.warnings) as unknown),
    requestHeaders:
      row.request_headers === null ? null : (JSON.parse(row.request_headers) as Record<string, string>),
    requestBody: row.request_body,
  };
}

// Few columns per row, but bodies can be large: small batches keep statements reasonable.
const BATCH = 50;

/** Appends records; a request id already logged is ignored (a retried batch writes nothing twice). */
export async function insertRequestLogs(
  db: Kysely<Database>,
  records: readonly RequestLogRecord[],
): Promise<void> {
  const rows = [...new Map(records.map((r) => [r.requestId, toRow(r)])).values()];
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      const known = new Set(
        (
          await trx
            .selectFrom('request_logs')
            .select('id')
            .where(
              'id',
              'in',
              batch.map((row) => row.id),
            )
            .execute()
        ).map((row) => row.id),
      );
      const fresh = batch.filter((row) => !known.has(row.id));
      if (fresh.length > 0) await trx.insertInto('request_logs').values(fresh).execute();
    }
  });
}

export async function queryRequestLogs(
  db: Kysely<Database>,
  query: RequestLogQuery,
): Promise<Page<RequestLogRecord>> {
  let select = db.selectFrom('request_logs').selectAll();
  if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
  if (query.routeName !== undefined) select = select.where('route_name', '=', query.routeName);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.endState !== undefined) select = select.where('end_state', '=', query.endState);
  if (query.since !== undefined) select = select.where('created_at', '>=', query.since);
  if (query.until !== undefined) select = select.where('created_at', '<', query.until);
  const cursor = decodeCursor(query.before);
  if (cursor !== null) select = select.where((eb) => olderThan(eb, 'id', cursor));
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const data = rows.slice(0, query.limit).map(fromRow);
  const last = data.at(-1);
  return {
    data,
    next: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.requestId) : null,
  };
}
