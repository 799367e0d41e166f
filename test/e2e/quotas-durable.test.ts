/**
 * Quota counters survive losing the cache backend (docs/tenancy.md, "Quotas"; decision 0013): a
 * gateway restarted on the memory backend, and a Redis whose keys were flushed, both rebuild the
 * counters from the usage ledger, so a `total` budget does not start over. Every model costs $1
 * per 1M tokens in and out here, so one micro-USD is one token; the fake upstream reports 20.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBundle } from '../../src/control-plane/import-export';
import { silentLogger } from '../../src/core/logger';
import { serveConfig, type ServeConfig } from '../../src/runtime/node/config';
import { openStore } from '../../src/runtime/node/open-store';
import { startGateway, type RunningGateway } from '../../src/runtime/node/server';
import { deleteKeys, newRunPrefix, redisSkipReason, TEST_REDIS_URL, withRawRedis } from '../cache/redis-env';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { fakeUpstreamBundle } from '../support/gateway';

const KEY = 'sk-gp-quota-durable-0001';
const body = (maxTokens: number) =>
  JSON.stringify({ model: 'fast', max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] });
/** The admission estimate in micro-USD: body bytes / 2 rounded up, plus max_tokens. */
const estimate = (maxTokens: number) => Math.ceil(body(maxTokens).length / 2) + maxTokens;
/** What the fake OpenAI upstream reports per answer (12 + 8 tokens), in micro-USD. */
const ACTUAL = 20;
/** Three 50-token requests fit (each settles at ACTUAL), a fourth does not: 3 * 20 + 95 > budget. */
const BUDGET = 3 * ACTUAL + estimate(50) - 1;

let upstream: FakeUpstream;
let dataDir: string;
const redisSkip = await redisSkipReason();

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(async () => {
  await upstream.close();
});

const ADMIN_KEY = 'sk-gp-quota-durable-admin-0001';
const QUOTA = { name: 'spender-total', user: 'spender', total: (BUDGET / 1_000_000).toFixed(6) };

/** A fresh data dir with the bundle imported: one user, with a `total` quota unless told otherwise. */
async function prepare(quotas: unknown[] = [QUOTA]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gproxy-quota-durable-'));
  const store = await openStore(`sqlite://${join(dir, 'gproxy.db')}`);
  try {
    const base = fakeUpstreamBundle(upstream.url) as Record<string, unknown>;
    await importBundle(store, {
      ...base,
      users: [
        { name: 'spender', permissions: ['*'], keys: [{ label: 'k', key: KEY }] },
        { name: 'root', admin: true, keys: [{ label: 'k', key: ADMIN_KEY }] },
      ],
      prices: [{ name: 'flat-oa', provider: 'oa', model: 'gpt-4o-mini', input: 1, output: 1 }],
      quotas,
    });
  } finally {
    await store.close();
  }
  return dir;
}

function start(dir: string, overrides: Partial<ServeConfig> = {}): Promise<RunningGateway> {
  const config: ServeConfig = {
    ...serveConfig({}, {}),
    port: 0,
    dataDir: dir,
    dsn: `sqlite://${join(dir, 'gproxy.db')}`,
    ...overrides,
  };
  return startGateway(config, { logger: silentLogger, announce: () => undefined });
}

async function chat(gateway: RunningGateway, maxTokens: number): Promise<number> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: body(maxTokens),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Waits until the usage batch writer has stored `count` priced requests (it writes every second). */
async function pricedRequestsInLedger(dir: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const db = new Database(join(dir, 'gproxy.db'), { readonly: true });
    try {
      const row = db
        .prepare('select count(*) as n from usage_records where cost_pico_usd is not null')
        .get() as {
        n: number;
      };
      if (row.n >= count) return;
    } finally {
      db.close();
    }
    if (Date.now() > deadline) throw new Error(`fewer than ${count} priced requests reached the ledger`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Spends 3 * ACTUAL of the budget; the fourth 50-token request no longer fits. */
async function spend(gateway: RunningGateway): Promise<void> {
  for (let i = 0; i < 3; i++) expect(await chat(gateway, 50)).toBe(200);
  expect(await chat(gateway, 50)).toBe(402);
}

describe('quota counters survive the loss of the cache backend', () => {
  it('keeps counting a total budget across a restart of a memory-backend gateway', async () => {
    dataDir = await prepare();
    try {
      const first = await start(dataDir);
      await spend(first);
      await first.stop();

      const second = await start(dataDir);
      try {
        // Without the ledger the counter would be back at 0 and this would pass.
        expect(await chat(second, 50)).toBe(402);
        // What is left of the budget still serves a cheaper request.
        expect(3 * ACTUAL + estimate(1)).toBeLessThanOrEqual(BUDGET);
        expect(await chat(second, 1)).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('counts the spend already made when a quota is created through the admin API', async () => {
    dataDir = await prepare([]);
    const gateway = await start(dataDir);
    try {
      for (let i = 0; i < 3; i++) expect(await chat(gateway, 50)).toBe(200);
      await pricedRequestsInLedger(dataDir, 3);
      const created = await fetch(`${gateway.url}/admin/quotas`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify(QUOTA),
      });
      expect(created.status).toBe(201);
      // The three requests before the quota existed count against its total at once.
      expect(await chat(gateway, 50)).toBe(402);
      expect(await chat(gateway, 1)).toBe(200);
    } finally {
      await gateway.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it.skipIf(redisSkip !== undefined)(
    'rebuilds the counters within the seed interval after the Redis keys were flushed',
    async () => {
      dataDir = await prepare();
      const prefix = newRunPrefix();
      const gateway = await start(dataDir, {
        cacheUrl: `${TEST_REDIS_URL}/?prefix=${encodeURIComponent(prefix)}`,
        quotaSeedIntervalMs: 100,
      });
      try {
        await spend(gateway);
        await pricedRequestsInLedger(dataDir, 3);
        await deleteKeys(prefix);
        const epoch = `${prefix}kv:quota-seed:epoch`;
        expect(await withRawRedis((redis) => redis.exists(epoch))).toBe(0);
        const deadline = Date.now() + 10_000;
        while ((await withRawRedis((redis) => redis.exists(epoch))) === 0) {
          if (Date.now() > deadline) throw new Error('the quota counters were not rebuilt within 10 s');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(await chat(gateway, 50)).toBe(402);
        expect(await chat(gateway, 1)).toBe(200);
      } finally {
        await gateway.stop();
        await deleteKeys(prefix);
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});
