/**
 * Builds every dependency for `gproxy serve`, starts the HTTP server, and stops it gracefully:
 * stop accepting, let in-flight requests finish (bounded), flush pending usage, close the store.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { MemoryChannelCache } from '../../channel/memory-cache';
import { createChannelRegistry } from '../../channel/registry';
import { systemClock } from '../../core/clock';
import { newId } from '../../core/ids';
import type { Logger } from '../../core/logger';
import type { CacheBackend } from '../../control-plane/cache-port';
import { ConsoleSessions } from '../../control-plane/auth/console-sessions';
import { ChildService } from '../../control-plane/admin/child-service';
import { cacheEditLock } from '../../control-plane/admin/cache-edit-lock';
import { ControlPlaneEditor } from '../../control-plane/admin/control-plane-editor';
import { announceControlPlaneChange } from '../../control-plane/invalidation';
import { RecordService } from '../../control-plane/admin/record-service';
import { ensureAdmin } from '../../control-plane/first-boot';
import { sealerFromEnv } from '../../control-plane/secret-envelope';
import { SnapshotHolder } from '../../control-plane/snapshot-holder';
import { applyRetention, scheduleRetention } from '../../control-plane/retention';
import { SnapshotWatcher } from '../../control-plane/snapshot-watcher';
import { createApp } from '../../http/app';
import { DEFAULT_PIPELINE_LIMITS, GenerateContentPipeline } from '../../pipeline/generate-content';
import { createHealthAdmin } from '../../pipeline/health-admin';
import { shareHealth } from '../../pipeline/health/health-events';
import { pullProviderModels } from '../../pipeline/provider-models';
import { probeProvider } from '../../pipeline/provider-probe';
import { QuotaSeeder } from '../../pipeline/quota-seeding/quota-seeder';
import { BatchingUsageWriter, BatchingWriter } from '../../pipeline/usage-writer';
import type { RequestLogRecord } from '../../control-plane/request-log';
import type { ServeConfig } from './config';
import { redactDsn } from '../../store/persistence/parse-dsn';
import { nodeRequestIo } from './node-request-io';
import { openCache } from './open-cache';
import { QuotaHolds } from '../../pipeline/quotas/quota-holds';
import { isSharedCache } from '../../pipeline/shared-cache';
import { LimitStateReader } from '../../pipeline/quotas/limit-state-reader';
import { importOnFirstBoot } from './bundle-commands';
import { openStore } from './open-store';
import { DEFAULT_UNDICI_OPTIONS, UndiciTransport } from './undici-transport';

/** How often old usage and audit records are pruned (instance settings `*_retention_days`). */
const RETENTION_INTERVAL_MS = 3_600_000;

export interface RunningGateway {
  /** The bound address, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  /** Stops gracefully; resolves when everything is flushed and closed. Idempotent. */
  stop(): Promise<void>;
  /** Resolves once stop() has completed. */
  stopped: Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  /** Where to print the one-time admin key on first boot. */
  announce: (line: string) => void;
}

export async function startGateway(config: ServeConfig, options: StartOptions): Promise<RunningGateway> {
  const cache = await openCache(config.cacheUrl, config.cacheToken, options.logger);
  try {
    return await startWithCache(config, options, cache);
  } catch (error) {
    // An open Redis connection would keep a process that failed to start from exiting.
    await cache.close();
    throw error;
  }
}

async function startWithCache(
  config: ServeConfig,
  options: StartOptions,
  cache: CacheBackend,
): Promise<RunningGateway> {
  const { logger } = options;
  if (config.masterKey === undefined) {
    logger.warn(
      {},
      'GPROXY_MASTER_KEY is not set: provider credential secrets are stored UNENCRYPTED in the database. ' +
        'Set it to 32 random bytes (base64 or hex) to encrypt them at rest.',
    );
  }
  const store = await openStore(config.dsn, config.masterKey);
  if (config.importFile !== undefined) {
    const imported = await importOnFirstBoot(store, config.importFile);
    if (imported !== null)
      options.announce(`gproxy: first boot: imported ${config.importFile} (${imported} change(s)).`);
  }
  const firstBoot = await ensureAdmin(store, { adminKey: config.adminKey });
  if (firstBoot.created) {
    options.announce(`gproxy: first boot: created admin user '${firstBoot.user}'.`);
    if (config.adminKey === undefined) {
      options.announce(`gproxy: admin API key (shown once, store it now): ${firstBoot.key}`);
    }
  }
  const initialVersion = await store.readControlPlaneVersion();
  const snapshots = await SnapshotHolder.create(store);
  const watcher = new SnapshotWatcher(snapshots, store, logger, initialVersion);
  watcher.start(config.reloadIntervalMs);
  await watcher.listen(cache);
  const transport = new UndiciTransport({
    ...DEFAULT_UNDICI_OPTIONS,
    connectTimeoutMs: config.timeouts.connectMs,
  });
  const usage = new BatchingUsageWriter(store, logger);
  const stopRetention = scheduleRetention(
    () => applyRetention(store, snapshots.current.settings, Date.now()),
    RETENTION_INTERVAL_MS,
    logger,
  );
  // Quota counters live in the cache: rebuilt from the usage ledger whenever the cache lost them
  // (first here, before the server listens), and seeded for new budgets (decision 0013).
  const quotaSeeder = new QuotaSeeder({
    cache,
    ledger: store,
    quotas: () => snapshots.current.quotas,
    logger,
    now: () => Date.now(),
    reconcileIntervalMs: config.quotaReconcileIntervalMs,
  });
  await quotaSeeder
    .check()
    .catch((error: unknown) =>
      logger.warn({ err: error }, 'quotas: could not rebuild quota counters at start; will retry'),
    );
  quotaSeeder.start(config.quotaSeedIntervalMs);
  const channels = createChannelRegistry();
  const channelCache = new MemoryChannelCache(() => Date.now());
  const requestLog = new BatchingWriter<RequestLogRecord>(
    (batch) => store.insertRequestLogs(batch),
    'request log',
    logger,
  );
  const instanceId = newId();
  // Reservations in flight are journaled in a shared cache, so the other instances give them back
  // if this one dies before settling them (a memory cache dies with the process anyway).
  const quotaHolds = isSharedCache(cache)
    ? new QuotaHolds({ cache, instanceId, logger, now: () => Date.now(), beatMs: config.quotaHoldBeatMs })
    : undefined;
  const pipeline = new GenerateContentPipeline({
    snapshots,
    channels,
    instanceProxy: config.upstreamProxy,
    transport,
    usage,
    requestLog,
    cache,
    quotaHolds,
    clock: systemClock,
    logger,
    channelCache,
    limits: {
      ...DEFAULT_PIPELINE_LIMITS,
      maxAttempts: config.maxAttempts,
      timeouts: config.timeouts,
      keepAliveMs: config.keepAliveMs,
    },
  });
  // Cooldowns and breaker openings reach the other instances of the deployment (shared cache only).
  const stopSharingHealth = await shareHealth({
    book: pipeline.health,
    cache,
    instanceId,
    logger,
    now: () => Date.now(),
  });
  // Admin writes hold a lease shared by every instance, reload this instance's snapshot at once
  // and announce the new version; instances that miss the announcement see the stamp change.
  const editor = new ControlPlaneEditor(store, {
    lock: cacheEditLock(cache),
    afterWrite: async (version) => {
      await snapshots.reload();
      // A quota created or given a new budget counts the spend already in its windows before the
      // write is answered.
      // Only the new budgets: the periodic reconcile of every budget stays off the edit lease.
      await seedNewBudgets(quotaSeeder, logger);
      await announceControlPlaneChange(cache, version, logger);
    },
  });
  let accepting = true;
  const app = createApp({
    pipeline,
    clock: systemClock,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    maxInFlight: config.maxInFlight,
    io: nodeRequestIo,
    cache,
    selfUsage: store,
    admin: {
      auth: {
        authenticate: (key) => pipeline.authenticate(key),
        sessions: new ConsoleSessions({ cache, snapshot: () => snapshots.current, now: () => Date.now() }),
        consoleOrigins: config.consoleOrigins,
      },
      audit: (record) => store.insertAudit(record),
      logs: store,
      limitState: new LimitStateReader({ cache, now: () => systemClock.now() }),
      channels,
      health: createHealthAdmin(pipeline.health, snapshots),
      probe: (identity, provider, model, signal) =>
        probeProvider(
          { pipeline, snapshots, channels, clock: systemClock },
          identity,
          provider,
          model,
          signal,
        ),
      pullModels: (provider, signal) =>
        pullProviderModels(
          {
            snapshots,
            channels,
            transport,
            timeouts: config.timeouts,
            clock: systemClock,
            cache: channelCache,
            instanceProxy: config.upstreamProxy,
          },
          provider,
          signal,
        ),
      editor,
      records: new RecordService(editor),
      children: new ChildService(editor, { keySealer: await sealerFromEnv(config.masterKey) }),
      clock: systemClock,
      logger,
    },
    ready: () => accepting,
  });

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, dsn: redactDsn(config.dsn) }, 'gproxy listening');
  // Once listening: a start that failed earlier leaves no heartbeat behind.
  quotaHolds?.start();

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | null = null;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      accepting = false;
      logger.info({ timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections become idle once their response is done; close them as they do.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), config.shutdownTimeoutMs);
      });
      if (await Promise.race([closed.then(() => false), timedOut])) {
        logger.warn({}, 'shutdown timeout: closing remaining connections');
        server.closeAllConnections();
        await closed;
      }
      clearTimeout(timer);
      clearInterval(sweep);
      watcher.stop();
      await stopSharingHealth();
      stopRetention();
      await quotaSeeder.stop();
      await quotaHolds?.stop();
      await usage.close();
      await requestLog.close();
      await transport.close();
      await store.close();
      await cache.close();
      logger.info({}, 'gproxy stopped');
      resolveStopped();
    })();
    return stopping;
  };

  return { url, port, stop, stopped };
}

/**
 * Seeds the budgets an admin write created before the write is answered. Another instance may
 * hold the seeding lease for a moment: wait for it a little (the periodic check catches up after).
 */
async function seedNewBudgets(seeder: QuotaSeeder, logger: Logger): Promise<void> {
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (!(await seeder.check({ reconcile: false })).busy) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    logger.warn({}, 'quotas: new budgets not seeded yet (the seeding lease is busy); the next check will');
  } catch (error) {
    logger.warn({ err: error }, 'quotas: could not seed new budgets; will retry');
  }
}
