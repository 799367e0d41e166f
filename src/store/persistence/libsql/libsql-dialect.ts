/**
 * A Kysely dialect over @libsql/client (docs/decisions/0010-libsql-dialect.md): SQLite's SQL,
 * adapter and introspector, with a driver that sends each compiled query through the client. The
 * same driver serves local `file:` databases and remote libSQL/Turso over HTTP, because the
 * client hides the difference: a query is `client.execute`, an interactive transaction is
 * `client.transaction()` (its own connection or HTTP stream), ended by commit or rollback.
 */
import { CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import type { Client, InValue, ResultSet, Transaction, TransactionMode } from '@libsql/client';

export interface LibsqlDialectConfig {
  /** The driver owns the client from now on: destroying the Kysely instance closes it. */
  client: Client;
}

export class LibsqlDialect implements Dialect {
  constructor(private readonly config: LibsqlDialectConfig) {}

  createAdapter(): DialectAdapter {
    return new LibsqlAdapter();
  }

  createDriver(): Driver {
    return new LibsqlDriver(this.config.client);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * SQLite DDL is transactional, and running each migration inside a write transaction is what
 * serialises two gproxy instances migrating one remote database (Kysely's SQLite adapter takes no
 * migration lock, since better-sqlite3 has one connection per process).
 */
class LibsqlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * One logical connection, handed out to one Kysely caller at a time (like Kysely's SQLite driver):
 * SQLite takes one writer anyway, and a queue here is cheaper than SQLITE_BUSY retries.
 */
class LibsqlDriver implements Driver {
  private readonly connection: LibsqlConnection;
  private readonly mutex = new Mutex();

  constructor(private readonly client: Client) {
    this.connection = new LibsqlConnection(client);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // Isolation levels do not apply: SQLite transactions are serializable.
    await libsqlConnection(connection).begin(settings.accessMode === 'read only' ? 'read' : 'write');
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await libsqlConnection(connection).end('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await libsqlConnection(connection).end('rollback');
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteIdentifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteIdentifier(name)}`));
  }

  releaseConnection(): Promise<void> {
    this.mutex.unlock();
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    this.connection.abandon();
    this.client.close();
    return Promise.resolve();
  }
}

class LibsqlConnection implements DatabaseConnection {
  private transaction: Transaction | null = null;

  constructor(private readonly client: Client) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = { sql: query.sql, args: query.parameters.map(toInValue) };
    const result = await (this.transaction ?? this.client).execute(statement);
    return toQueryResult<R>(result);
  }

  /** Not a cursor: the client returns whole result sets, so this pages through one. */
  async *streamQuery<R>(query: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }

  async begin(mode: TransactionMode): Promise<void> {
    if (this.transaction !== null)
      throw new Error('libSQL: a transaction is already open on this connection');
    this.transaction = await this.client.transaction(mode);
  }

  async end(how: 'commit' | 'rollback'): Promise<void> {
    const transaction = this.transaction;
    if (transaction === null) throw new Error(`libSQL: ${how} without an open transaction`);
    this.transaction = null;
    try {
      await (how === 'commit' ? transaction.commit() : transaction.rollback());
    } finally {
      // Gives the connection (or HTTP stream) back even when COMMIT failed; a no-op otherwise.
      transaction.close();
    }
  }

  /** On destroy: an open transaction is rolled back by closing it. */
  abandon(): void {
    this.transaction?.close();
    this.transaction = null;
  }
}

function libsqlConnection(connection: DatabaseConnection): LibsqlConnection {
  if (!(connection instanceof LibsqlConnection)) throw new TypeError('Not a libSQL connection');
  return connection;
}

function toInValue(value: unknown): InValue {
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return value;
    default:
      if (value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof Date) return value;
      throw new TypeError(
        `libSQL cannot bind a query parameter of type ${Object.prototype.toString.call(value)}`,
      );
  }
}

function toQueryResult<R>(result: ResultSet): QueryResult<R> {
  // Rows from the client are array-like objects with column-name keys; Kysely wants plain objects.
  const rows = result.rows.map(
    (row) => Object.fromEntries(result.columns.map((column, index) => [column, row[index]])) as R,
  );
  return {
    rows,
    numAffectedRows: BigInt(result.rowsAffected),
    ...(result.lastInsertRowid === undefined ? {} : { insertId: result.lastInsertRowid }),
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Kysely's SQLite driver's mutex: one holder, waiters queue on the current holder's promise. */
class Mutex {
  private held: Promise<void> | undefined;
  private release: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.held !== undefined) await this.held;
    this.held = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  unlock(): void {
    const release = this.release;
    this.held = undefined;
    this.release = undefined;
    release?.();
  }
}
