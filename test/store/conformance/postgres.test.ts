/**
 * The conformance suite on PostgreSQL, in a database created for this run and dropped after it.
 * Locally it skips (saying so) when no server listens; with CI=true it always runs.
 */
import { openPostgresStore } from '../../../src/store/persistence/postgres/open-postgres';
import { describePersistenceConformance } from './conformance';
import { postgresAdmin, throwawayPostgres } from './servers';
import { emptyAllTables, serverSkipReason } from './support';

const admin = postgresAdmin();
const skipReason = await serverSkipReason('PostgreSQL', admin.host || '127.0.0.1', admin.port);

describePersistenceConformance(
  'PostgreSQL',
  async () => {
    const database = await throwawayPostgres();
    try {
      const store = await openPostgresStore({ target: database.target });
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
