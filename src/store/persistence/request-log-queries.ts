/** Writing and reading the request log (control-plane/request-log.ts); newest first, keyset paged. */
import type { Kysely } from 'kysely';
import type { Page } from '../../control-plane/audit-record';
import type { RequestLogQuery, RequestLogRecord } from '../../control-plane/request-log';
import { readPage } from './keyset-page';
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
    response_status: r.responseStatus,
    response_headers: json(r.responseHeaders),
    response_body: r.responseBody,
    response_body_bytes: r.responseBodyBytes,
    response_truncated: r.responseTruncated === null ? null : Number(r.responseTruncated),
    upstream_error_body: r.upstreamErrorBody,
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
    responseStatus: row.response_status === null ? null : Number(row.response_status),
    responseHeaders:
      row.response_headers === null ? null : (JSON.parse(row.response_headers) as Record<string, string>),
    responseBody: row.response_body,
    responseBodyBytes: row.response_body_bytes === null ? null : Number(row.response_body_bytes),
    responseTruncated: row.response_truncated === null ? null : Number(row.response_truncated) === 1,
    upstreamErrorBody: row.upstream_error_body,
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

export function queryRequestLogs(
  db: Kysely<Database>,
  query: RequestLogQuery,
): Promise<Page<RequestLogRecord>> {
  return readPage(
    db.selectFrom('request_logs').selectAll(),
    { time: 'created_at', id: 'id' },
    [
      ['user_id', query.userId],
      ['route_name', query.routeName],
      ['status', query.status],
      ['end_state', query.endState],
    ],
    query,
    fromRow,
  );
}
