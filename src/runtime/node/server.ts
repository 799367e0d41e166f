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
import type { Logger } from '../../core/logger';
import { ensureAdmin } from '../../control-plane/first-boot';
import { SnapshotHolder } from '../../control-plane/snapshot-holder';
import { SnapshotWatcher } from '../../control-plane/snapshot-watcher';
import { createApp } from '../../http/app';
import { DEFAULT_PIPELINE_LIMITS, GenerateContentPipeline } from '../../pipeline/generate-content';
import { createHealthAdmin } from '../../pipeline/health-admin';
import { pullProviderModels } from '../../pipeline/provider-models';
import { probeProvider } from '../../pipeline/provider-probe';
import { BatchingUsageWriter } from '../../pipeline/usage-writer';
import type { ServeConfig } from './config';
import { nodeRequestIo } from './node-request-io';
import { openStore } from './open-store';
import { DEFAULT_UNDICI_OPTIONS, UndiciTransport } from './undici-transport';

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
  const { logger } = options;
  if (config.redisUrl !== undefined) {
    throw new Error(
      'GPROXY_REDIS_URL / --redis-url: the Redis cache backend is not available in this version yet; ' +
        'unset it to run with the in-memory cache.',
    );
  }
  if (config.masterKey === undefined) {
    logger.warn(
      {},
      'GPROXY_MASTER_KEY is not set: provider credential secrets are stored UNENCRYPTED in the database. ' +
        'Set it to 32 random bytes (base64 or hex) to encrypt them at rest.',
    );
  }
  const store = await openStore(config.dsn, config.masterKey);
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
  const transport = new UndiciTransport({
    ...DEFAULT_UNDICI_OPTIONS,
    connectTimeoutMs: config.timeouts.connectMs,
  });
  const usage = new BatchingUsageWriter(store, logger);
  const channels = createChannelRegistry();
  const channelCache = new MemoryChannelCache(() => Date.now());
  const pipeline = new GenerateContentPipeline({
    snapshots,
    channels,
    instanceProxy: config.upstreamProxy,
    transport,
    usage,
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
  let accepting = true;
  const app = createApp({
    pipeline,
    clock: systemClock,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    io: nodeRequestIo,
    admin: {
      authenticate: (key) => pipeline.authenticate(key),
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
      await usage.close();
      await transport.close();
      await store.close();
      logger.info({}, 'gproxy stopped');
      resolveStopped();
    })();
    return stopping;
  };

  return { url, port, stop, stopped };
}

function redactDsn(dsn: string): string {
  return dsn.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}
