/**
 * The SQLite control-plane store: the portable Kysely store, except that usage rows go in through
 * one cached better-sqlite3 statement, run once per row inside a transaction. Kysely compiles and
 * prepares a fresh 500-row INSERT for every batch, which held the event loop ~8 ms per flush; the
 * cached statement needs a fraction of that (decision 0007).
 */
import type { Database as SqliteDatabase, Statement, Transaction } from 'better-sqlite3';
import type { UsageRecord } from '../../../control-plane/usage-record';
import { KyselyControlPlaneStore } from '../kysely-store';
import { usageToRow } from '../rows';

type Row = Record<string, unknown>;

interface UsageInsert {
  /** The column list the statement was prepared for. */
  columns: string;
  insertAll: Transaction<(rows: readonly Row[]) => void>;
}

export class SqliteControlPlaneStore extends KyselyControlPlaneStore {
  private usageInsert: UsageInsert | null = null;

  constructor(
    private readonly sqlite: SqliteDatabase,
    ...kysely: ConstructorParameters<typeof KyselyControlPlaneStore>
  ) {
    super(...kysely);
  }

  override async insertUsage(records: UsageRecord[]): Promise<void> {
    // As in the portable store: one row per request id (the last record wins), and ids already
    // stored are left alone, so a retried batch that partly succeeded adds nothing twice.
    const byId = new Map<string, Row>();
    for (const record of records) byId.set(record.requestId, usageToRow(record));
    if (byId.size === 0) return;
    const rows = [...byId.values()];
    // Holding Kysely's one connection keeps these writes out of any transaction Kysely has open
    // (better-sqlite3 would otherwise nest them in it as a savepoint).
    await this.db.connection().execute(() => {
      this.usageInsertFor(rows[0] as Row).insertAll(rows);
      return Promise.resolve();
    });
  }

  private usageInsertFor(sample: Row): UsageInsert {
    const names = Object.keys(sample);
    const columns = names.join(',');
    if (this.usageInsert?.columns === columns) return this.usageInsert;
    const statement: Statement<[Row]> = this.sqlite.prepare(
      `INSERT INTO usage_records (${names.map((name) => `"${name}"`).join(', ')}) ` +
        `VALUES (${names.map((name) => `@${name}`).join(', ')}) ON CONFLICT (request_id) DO NOTHING`,
    );
    const insertAll = this.sqlite.transaction((rows: readonly Row[]) => {
      for (const row of rows) statement.run(row);
    });
    this.usageInsert = { columns, insertAll };
    return this.usageInsert;
  }
}
