/**
 * The one shape of every paged read of an append-only table (audit trail, usage ledger, request
 * log, hourly rollups): exact-match filters, a `[since, until)` range on the time column, newest
 * first by (time, id), and an opaque keyset cursor `(time, id)` so pages stay stable while new rows
 * arrive. Portable SQL: the same code serves SQLite, PostgreSQL, MySQL and libSQL.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { GatewayError } from '../../core/errors';
import type { Page } from '../../control-plane/audit-record';
import type { Database } from './schema';

export type PagedTable = 'audit_records' | 'usage_records' | 'request_logs' | 'usage_rollups';
type Column<T extends PagedTable> = keyof Database[T] & string;

/** A filter on one column; an undefined value filters nothing. */
export type PageFilter<T extends PagedTable> = readonly [Column<T>, string | number | undefined];

export interface PageWindow {
  /** Rows whose time is at or after this. */
  since?: string | undefined;
  /** Rows whose time is before this. */
  until?: string | undefined;
  limit: number;
  /** The `next` of the previous page. */
  before?: string | undefined;
}

interface Cursor {
  time: string;
  id: string;
}

function encodeCursor(time: string, id: string): string {
  return btoa(JSON.stringify([time, id]));
}

/** Null for an absent cursor; a malformed one is a caller error the admin API reports. */
function decodeCursor(text: string | undefined): Cursor | null {
  if (text === undefined) return null;
  try {
    const value = JSON.parse(atob(text)) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string')
      return { time: value[0], id: value[1] };
  } catch {
    // fall through
  }
  throw new GatewayError('invalid_request', 'before: not a cursor this API answered', { param: 'before' });
}

/**
 * Reads one page of `select` (a selectFrom(table) with its columns; it must select `time` and
 * `id`), newest first; `toRecord` maps each row of the page.
 */
export async function readPage<T extends PagedTable, Row, R>(
  select: SelectQueryBuilder<Database, T, Row>,
  keys: { time: Column<T>; id: Column<T> },
  filters: readonly PageFilter<T>[],
  window: PageWindow,
  toRecord: (row: Row) => R,
): Promise<Page<R>> {
  const time = sql.ref(keys.time);
  const id = sql.ref(keys.id);
  let query = select;
  for (const [column, value] of filters)
    if (value !== undefined) query = query.where(sql<boolean>`${sql.ref(column)} = ${value}`);
  if (window.since !== undefined) query = query.where(sql<boolean>`${time} >= ${window.since}`);
  if (window.until !== undefined) query = query.where(sql<boolean>`${time} < ${window.until}`);
  const cursor = decodeCursor(window.before);
  if (cursor !== null)
    query = query.where(
      sql<boolean>`(${time} < ${cursor.time} or (${time} = ${cursor.time} and ${id} < ${cursor.id}))`,
    );
  const rows = await query
    .orderBy(time, 'desc')
    .orderBy(id, 'desc')
    .limit(window.limit + 1)
    .execute();
  const page = rows.slice(0, window.limit);
  const last = page.at(-1) as Record<string, unknown> | undefined;
  return {
    data: page.map(toRecord),
    next:
      rows.length > window.limit && last !== undefined
        ? encodeCursor(String(last[keys.time]), String(last[keys.id]))
        : null,
  };
}
