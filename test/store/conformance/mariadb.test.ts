/**
 * The conformance suite on MariaDB (the MySQL backend), in a database created for this run and
 * dropped after it. Locally it skips (saying so) when no server listens; with CI=true it always runs.
 */
import { openMysqlStore } from '../../../src/store/persistence/mysql/open-mysql';
import { describePersistenceConformance } from './conformance';
import { backendInThrowaway, mysqlAdmin, throwawayMysql } from './servers';
import { serverSkipReason } from './support';

const admin = mysqlAdmin();
const skipReason = await serverSkipReason('MariaDB', admin.host, admin.port);

describePersistenceConformance(
  'MariaDB',
  () => backendInThrowaway(throwawayMysql, (target) => openMysqlStore({ target })),
  { skipReason },
);
