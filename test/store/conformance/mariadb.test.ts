/**
 * The conformance suite on MariaDB (the MySQL backend), in a database created for this run and
 * dropped after it. Locally it skips (saying so) when no server listens; with CI=true it always runs.
 */
import { openMysqlStore } from '../../../src/store/persistence/mysql/open-mysql';
import { describePersistenceConformance } from './conformance';
import { mysqlAdmin, throwawayMysql } from './servers';
import { emptyAllTables, serverSkipReason } from './support';

const admin = mysqlAdmin();
const skipReason = await serverSkipReason('MariaDB', admin.host, admin.port);

describePersistenceConformance(
  'MariaDB',
  async () => {
    const database = await throwawayMysql();
    try {
      const store = await openMysqlStore({ target: database.target });
      return {
        store,
        reset: () => emptyAllTables(store.db),
        close: async () => {
          await store.close();
          await database.drop();
        },
      };
    } catch (error) {
      await database.drop();
      throw error;
    }
  },
  { skipReason },
);
