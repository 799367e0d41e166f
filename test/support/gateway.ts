/** Starts a real gproxy server (HTTP on loopback) on a temporary SQLite store, for end-to-end tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { silentLogger } from '../../src/core/logger';
import { importBundle } from '../../src/control-plane/import-export';
import { serveConfig, type ServeConfig } from '../../src/runtime/node/config';
import { openStore } from '../../src/runtime/node/open-store';
import { startGateway } from '../../src/runtime/node/server';

export interface TestGateway {
  url: string;
  dataDir: string;
  /** Stops the gateway gracefully (flushing usage) but keeps the data dir. */
  stop(): Promise<void>;
  /** Stops if needed and deletes the data dir. */
  dispose(): Promise<void>;
  /** Usage rows as stored (snake_case columns), after stop() has flushed them. */
  usageRows(): Record<string, unknown>[];
}

export async function startTestGateway(
  bundle: unknown,
  overrides: Partial<ServeConfig> = {},
): Promise<TestGateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gproxy-test-'));
  const file = join(dataDir, 'gproxy.db');
  const dsn = `sqlite://${file}`;
  if (bundle !== undefined) {
    const store = await openStore(dsn);
    try {
      await importBundle(store, bundle);
    } finally {
      await store.close();
    }
  }
  const config: ServeConfig = { ...serveConfig({}, {}), port: 0, dataDir, dsn, ...overrides };
  const gateway = await startGateway(config, { logger: silentLogger, announce: () => undefined });
  return {
    url: gateway.url,
    dataDir,
    stop: () => gateway.stop(),
    async dispose() {
      await gateway.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    usageRows() {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('select * from usage_records order by created_at').all() as Record<
          string,
          unknown
        >[];
      } finally {
        db.close();
      }
    },
  };
}

export const USER_KEY = 'sk-gp-alice-0001';

/** A bundle with one provider per real channel, all pointing at one fake upstream. */
export function fakeUpstreamBundle(upstreamUrl: string): unknown {
  return {
    version: 1,
    providers: [
      {
        name: 'oa',
        channel: 'openai',
        settings: { base_url: `${upstreamUrl}/v1` },
        credentials: [{ label: 'main', secret: { api_key: 'sk-upstream-openai' } }],
      },
      {
        name: 'an',
        channel: 'anthropic',
        settings: { base_url: `${upstreamUrl}/v1` },
        credentials: [{ label: 'main', secret: { api_key: 'sk-upstream-anthropic' } }],
      },
      {
        name: 'ge',
        channel: 'gemini',
        settings: { base_url: `${upstreamUrl}/v1beta` },
        credentials: [{ label: 'main', secret: { api_key: 'upstream-gemini-key' } }],
      },
      { name: 'mk', channel: 'mock', settings: { latency_ms: 0 } },
    ],
    routes: [
      { name: 'gpt-fast', strategy: 'failover', members: [{ provider: 'oa', model: 'gpt-4o-mini' }] },
      { name: 'claude-fast', members: [{ provider: 'an', model: 'claude-haiku-4-5' }] },
      { name: 'gemini-fast', members: [{ provider: 'ge', model: 'gemini-2.5-flash' }] },
      { name: 'mock-route', members: [{ provider: 'mk', model: 'mock-1' }] },
    ],
    aliases: [{ name: 'fast', target: 'gpt-fast' }],
    users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'laptop', key: USER_KEY }] }],
  };
}
