/**
 * The MySQL/MariaDB control-plane store: the portable Kysely store with MySQL's way of skipping a
 * usage row whose request id is already stored.
 */
import type { Transaction } from 'kysely';
import { KyselyControlPlaneStore } from '../kysely-store';
import type { Database, UsageRecordsTable } from '../schema';

export class MysqlControlPlaneStore extends KyselyControlPlaneStore {
  /**
   * ON DUPLICATE KEY UPDATE with a no-op assignment rather than INSERT IGNORE: IGNORE also turns
   * other errors (a value too long, a bad type) into warnings and stores a mangled row, while this
   * skips only the duplicate key, the request id (the table's one unique key).
   */
  protected override async insertUsageRows(
    trx: Transaction<Database>,
    rows: UsageRecordsTable[],
  ): Promise<void> {
    await trx
      .insertInto('usage_records')
      .values(rows)
      .onDuplicateKeyUpdate((eb) => ({ request_id: eb.ref('request_id') }))
      .execute();
  }
}
