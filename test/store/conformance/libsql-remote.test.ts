/**
 * The conformance suite on the libSQL backend's remote path: @libsql/client's HTTP client, with an
 * auth token, against a fake Hrana-over-HTTP server on loopback (./fake-hrana-server.ts). There is
 * no sqld on the CI machine; this proves the dialect's interactive transactions over HTTP streams,
 * not sqld itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/runtime/node/open-store';
import { openLibsqlStore } from '../../../src/store/persistence/libsql/open-libsql';
import { parseDsn } from '../../../src/store/persistence/parse-dsn';
import { describePersistenceConformance } from './conformance';
import { startFakeHranaServer } from './fake-hrana-server';
import type { FakeHranaServer } from './fake-hrana-server';
import { emptyAllTables } from './support';

const TOKEN = 'test-token.with.dots';

async function startServer(): Promise<{ server: FakeHranaServer; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gproxy-conf-hrana-'));
  const server = await startFakeHranaServer(join(dir, 'remote.db'), TOKEN);
  return {
    server,
    cleanup: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describePersistenceConformance('libSQL (remote over HTTP, fake Hrana server)', async () => {
  const { server, cleanup } = await startServer();
  const target = parseDsn(`libsql+${server.url}?authToken=${TOKEN}`);
  if (target.kind !== 'libsql') throw new Error(`expected a libSQL target, got ${target.kind}`);
  const store = await openLibsqlStore({ target });
  return {
    store,
    reset: () => emptyAllTables(store.db),
    close: async () => {
      await store.close();
      await cleanup();
    },
  };
});

describe('libSQL remote: DSN, token and streams', () => {
  let server: FakeHranaServer;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ server, cleanup } = await startServer());
  });
  afterAll(async () => {
    await cleanup();
  });

  it('opens through openStore with the token from the DSN, and leaves no stream open', async () => {
    const store = await openStore(`libsql+${server.url}?authToken=${TOKEN}`);
    try {
      expect(await store.countUsers()).toBe(0);
      expect(server.openStreams()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('fails to open with a wrong token, naming the HTTP status', async () => {
    await expect(openStore(`libsql+${server.url}?authToken=wrong`)).rejects.toThrow(/401/);
  });
});
