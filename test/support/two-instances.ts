/**
 * Two `gproxy serve` processes sharing one throwaway PostgreSQL database and one Redis (under a
 * run-private key prefix), for the tests that prove several instances behave as one. The control
 * plane is imported before they start; their poll interval is a minute, so only pub/sub can make
 * a change reach the other instance within a second.
 */
import { importBundle } from '../../src/control-plane/import-export';
import { openStore } from '../../src/runtime/node/open-store';
import type { PostgresTarget } from '../../src/store/persistence/parse-dsn';
import { deleteKeys, newRunPrefix, redisSkipReason, TEST_REDIS_URL } from '../cache/redis-env';
import { throwawayPostgres } from '../store/conformance/servers';
import { serverSkipReason } from '../store/conformance/support';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream';
import { serveProcess, type Served } from './serve-process';

export interface TwoInstances {
  a: Served;
  b: Served;
  upstream: FakeUpstream;
  /** SIGTERMs both, stops the upstream, drops the database and the Redis keys. */
  stop(): Promise<void>;
}

/** Why the two-instance tests are skipped (never with CI=true), or undefined to run them. */
export async function twoInstancesSkipReason(): Promise<string | undefined> {
  return (await redisSkipReason()) ?? (await serverSkipReason('PostgreSQL', '127.0.0.1', 5432));
}

function dsnOf(target: PostgresTarget): string {
  const auth = target.password === undefined ? target.user : `${target.user}:${target.password}`;
  return `postgres://${auth}@${target.host}:${target.port}/${target.database}`;
}

/** `bundle` receives the fake upstream's URL (for provider base URLs); `extraEnv` goes to both. */
export async function startTwoInstances(
  bundle: (upstreamUrl: string) => unknown,
  extraEnv: Record<string, string> = {},
): Promise<TwoInstances> {
  const database = await throwawayPostgres();
  const upstream = await startFakeUpstream();
  const prefix = newRunPrefix();
  const dsn = dsnOf(database.target);
  const instances: Served[] = [];
  const stop = async (): Promise<void> => {
    for (const instance of instances) {
      instance.child.kill('SIGTERM');
      await instance.exited;
    }
    await upstream.close();
    await database.drop();
    await deleteKeys(prefix);
  };
  try {
    const store = await openStore(dsn);
    try {
      await importBundle(store, bundle(upstream.url));
    } finally {
      await store.close();
    }
    const env = {
      GPROXY_DSN: dsn,
      GPROXY_CACHE_URL: `${TEST_REDIS_URL}/?prefix=${encodeURIComponent(prefix)}`,
      GPROXY_RELOAD_INTERVAL_MS: '60000',
      ...extraEnv,
    };
    for (const started of await Promise.all([serveProcess([], env), serveProcess([], env)]))
      instances.push(started);
  } catch (error) {
    await stop();
    throw error;
  }
  const [a, b] = instances as [Served, Served];
  return { a, b, upstream, stop };
}
