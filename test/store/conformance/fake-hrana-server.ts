/**
 * A stand-in for a remote libSQL server (sqld / Turso) on loopback: the Hrana protocol version 2
 * over HTTP with JSON (`POST /v2/pipeline`), which is what @libsql/client's HTTP client speaks,
 * backed by better-sqlite3 on a file. Each Hrana stream (a baton) gets its own connection, as on
 * sqld, so interactive transactions span HTTP requests exactly as they do against Turso. It is a
 * test double, not sqld: only the requests the client sends are implemented (execute, batch,
 * sequence, store_sql, close_sql, close), and an `Authorization: Bearer <token>` header is required when a token is set.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';

type HranaValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };
interface HranaStmt {
  sql?: string;
  sql_id?: number;
  args?: HranaValue[];
  named_args?: { name: string; value: HranaValue }[];
}
type HranaCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: HranaCond }
  | { type: 'and' | 'or'; conds: HranaCond[] }
  | { type: 'is_autocommit' };
type HranaRequest =
  | { type: 'execute'; stmt: HranaStmt }
  | { type: 'batch'; batch: { steps: { condition?: HranaCond; stmt: HranaStmt }[] } }
  | { type: 'sequence'; sql?: string; sql_id?: number }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number }
  | { type: 'close' };

/** One Hrana stream: its own connection and the SQL texts stored on it. */
interface Stream {
  db: Database;
  sqls: Map<number, string>;
}

export interface FakeHranaServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Streams currently open (connections held by batons). */
  openStreams: () => number;
  close: () => Promise<void>;
}

export async function startFakeHranaServer(file: string, token?: string): Promise<FakeHranaServer> {
  const streams = new Map<string, Stream>();
  // Connections of closed streams, reused: opening a file per stream would dominate the run time.
  const idle: Database[] = [];
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (token !== undefined && request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
      return;
    }
    if (request.method !== 'POST' || request.url !== '/v2/pipeline') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      baton?: string | null;
      requests: HranaRequest[];
    };
    let stream = body.baton ? streams.get(body.baton) : open();
    if (stream === undefined) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('Unknown baton');
      return;
    }
    if (body.baton) streams.delete(body.baton);
    const results = body.requests.map((req) => {
      try {
        if (stream === undefined) throw new Error('stream is closed');
        return { type: 'ok', response: run(stream, req) };
      } catch (error) {
        return { type: 'error', error: hranaError(error) };
      } finally {
        if (req.type === 'close' && stream !== undefined) {
          release(stream.db);
          stream = undefined;
        }
      }
    });
    let baton: string | null = null;
    if (stream !== undefined) {
      baton = randomUUID();
      streams.set(baton, stream);
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ baton, base_url: null, results }));
  }

  function open(): Stream {
    let db = idle.pop();
    if (db === undefined) {
      db = new Sqlite(file);
      db.pragma('foreign_keys = ON'); // as libSQL does by default
      db.pragma('busy_timeout = 0'); // never block the event loop this server shares with the test
    }
    return { db, sqls: new Map() };
  }

  /** A closed stream's open transaction is rolled back, as sqld does. */
  function release(db: Database): void {
    if (db.inTransaction) db.exec('rollback');
    if (idle.length < 4) idle.push(db);
    else db.close();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    openStreams: () => streams.size,
    close: async () => {
      for (const stream of streams.values()) stream.db.close();
      for (const db of idle.splice(0)) db.close();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function run(stream: Stream, req: HranaRequest): unknown {
  const { db } = stream;
  switch (req.type) {
    case 'execute':
      return { type: 'execute', result: execute(stream, req.stmt) };
    case 'sequence':
      db.exec(sqlOf(stream, req));
      return { type: 'sequence' };
    case 'store_sql':
      stream.sqls.set(req.sql_id, req.sql);
      return { type: 'store_sql' };
    case 'close_sql':
      stream.sqls.delete(req.sql_id);
      return { type: 'close_sql' };
    case 'close':
      return { type: 'close' };
    case 'batch': {
      const results: unknown[] = [];
      const errors: unknown[] = [];
      const holds = (cond: HranaCond): boolean => {
        switch (cond.type) {
          case 'ok':
            return results[cond.step] != null;
          case 'error':
            return errors[cond.step] != null;
          case 'not':
            return !holds(cond.cond);
          case 'and':
            return cond.conds.every(holds);
          case 'or':
            return cond.conds.some(holds);
          case 'is_autocommit':
            return !db.inTransaction;
        }
      };
      req.batch.steps.forEach((step, index) => {
        results[index] = null;
        errors[index] = null;
        if (step.condition !== undefined && !holds(step.condition)) return;
        try {
          results[index] = execute(stream, step.stmt);
        } catch (error) {
          errors[index] = hranaError(error);
        }
      });
      return { type: 'batch', result: { step_results: results, step_errors: errors } };
    }
  }
}

function sqlOf(stream: Stream, stmt: { sql?: string; sql_id?: number }): string {
  const sql = stmt.sql ?? (stmt.sql_id === undefined ? undefined : stream.sqls.get(stmt.sql_id));
  if (sql === undefined) throw new Error('statement has neither sql nor a stored sql_id');
  return sql;
}

function execute(stream: Stream, stmt: HranaStmt): unknown {
  const statement = stream.db.prepare(sqlOf(stream, stmt)).safeIntegers(true);
  const named = Object.fromEntries(
    (stmt.named_args ?? []).map((arg) => [arg.name.replace(/^[:@$]/, ''), decode(arg.value)]),
  );
  const params = [...(stmt.args ?? []).map(decode), ...(Object.keys(named).length > 0 ? [named] : [])];
  if (statement.reader) {
    const cols = statement.columns().map((column) => ({ name: column.name, decltype: column.type }));
    const rows = (statement.raw(true).all(...params) as unknown[][]).map((row) => row.map(encode));
    return { cols, rows, affected_row_count: 0, last_insert_rowid: null };
  }
  const { changes, lastInsertRowid } = statement.run(...params);
  return { cols: [], rows: [], affected_row_count: changes, last_insert_rowid: String(lastInsertRowid) };
}

function decode(value: HranaValue): unknown {
  switch (value.type) {
    case 'null':
      return null;
    case 'integer':
      return BigInt(value.value);
    case 'float':
    case 'text':
      return value.value;
    case 'blob':
      return Buffer.from(value.base64, 'base64');
  }
}

function encode(value: unknown): HranaValue {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: String(value) };
  if (typeof value === 'number') return { type: 'float', value };
  if (typeof value === 'string') return { type: 'text', value };
  if (Buffer.isBuffer(value)) return { type: 'blob', base64: value.toString('base64') };
  throw new TypeError(`cannot encode ${typeof value}`);
}

function hranaError(error: unknown): { message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(error) };
}
