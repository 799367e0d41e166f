/**
 * The conformance suite on PostgreSQL, in a database created for this run and dropped after it.
 * Locally it skips (saying so) when no server listens; with CI=true it always runs.
 */
import { openPostgresStore } from '../../../src/store/persistence/postgres/open-postgres';
import { describePersistenceConformance } from './conformance';
import { backendInThrowaway, postgresAdmin, throwawayPostgres } from './servers';
import { serverSkipReason } from './support';

const admin = postgresAdmin();
const skipReason = await serverSkipReason('PostgreSQL', admin.host || '127.0.0.1', admin.port);

describePersistenceConformance(
  'PostgreSQL',
  () => backendInThrowaway(throwawayPostgres, (target) => openPostgresStore({ target })),
  { skipReason },
);
