/**
 * Explainability: the request's log record keeps the whole attempt trace (each candidate tried or
 * skipped, outcome class, status, latency, why it was skipped), and its `routeHeader` is what the
 * client saw in `x-gproxy-route`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/logger';
import { importBundle } from '../../src/control-plane/import-export';
import { serveConfig } from '../../src/runtime/node/config';
import { openStore } from '../../src/runtime/node/open-store';
import { startGateway, type RunningGateway } from '../../src/runtime/node/server';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { USER_KEY } from '../support/gateway';
import { poster } from './routing-support';

interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

const lines: LogLine[] = [];
const capture = (level: string) => (fields: Record<string, unknown>, message: string) =>
  lines.push({ level, fields, message });
const logger: Logger = {
  debug: capture('debug'),
  info: capture('info'),
  warn: capture('warn'),
  error: capture('error'),
  debugEnabled: false,
};

let upstream: FakeUpstream;
let gateway: RunningGateway;
let dataDir: string;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  dataDir = await mkdtemp(join(tmpdir(), 'gproxy-trace-'));
  const dsn = `sqlite://${join(dataDir, 'gproxy.db')}`;
  const store = await openStore(dsn);
  const provider = (name: string, key: string) => ({
    name,
    channel: 'openai',
    settings: { base_url: `${upstream.url}/v1` },
    credentials: [{ label: 'main', secret: { api_key: key } }],
  });
  await importBundle(store, {
    version: 1,
    providers: [provider('broken', 'k-broken'), provider('busy', 'k-busy'), provider('good', 'k-good')],
    routes: [
      {
        name: 'traced',
        members: [
          { provider: 'busy', model: 'm' },
          { provider: 'broken', model: 'm' },
          { provider: 'good', model: 'm', tier: 1 },
        ],
      },
    ],
    users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] }],
  });
  await store.close();
  gateway = await startGateway(
    { ...serveConfig({}, {}), port: 0, dataDir, dsn },
    { logger, announce: () => undefined },
  );
});
afterAll(async () => {
  await gateway.stop();
  await upstream.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the request log record', () => {
  it('holds every candidate tried or skipped, with outcome, status, latency and reason', async () => {
    upstream.behave({ statusByKey: { 'k-busy': 429, 'k-broken': 503 }, headers: { 'retry-after': '60' } });
    const post = poster(() => gateway.url, USER_KEY);
    const chat = () =>
      post('/v1/chat/completions', { model: 'traced', messages: [{ role: 'user', content: 'hi' }] });
    expect((await chat()).status).toBe(200);
    const second = await chat();
    expect(second.status).toBe(200);

    const settled = lines.filter((line) => line.message === 'request settled');
    expect(settled).toHaveLength(2);
    expect(settled.every((line) => line.level === 'info')).toBe(true);
    const [first, next] = settled.map((line) => line.fields);
    expect(first!['attempts']).toEqual([
      expect.objectContaining({ provider: 'busy', member: 0, outcome: 'rate-limited', status: 429 }),
      expect.objectContaining({ provider: 'broken', member: 1, outcome: 'transient', status: 503 }),
      expect.objectContaining({
        provider: 'good',
        member: 2,
        outcome: 'success',
        status: 200,
        credential: 'main',
      }),
    ]);
    for (const attempt of first!['attempts'] as { latencyMs: number }[]) {
      expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
    }
    // The rate-limited member cools down: the next request passes it over, saying why.
    expect(next!['attempts']).toEqual([
      expect.objectContaining({ provider: 'busy', outcome: 'skipped', reason: 'rate-limited', status: null }),
      expect.objectContaining({ provider: 'broken', outcome: 'transient', status: 503 }),
      expect.objectContaining({ provider: 'good', outcome: 'success' }),
    ]);
    expect(next!['routeHeader']).toBe(second.headers.get('x-gproxy-route'));
    expect(second.headers.get('x-gproxy-route')).toBe(
      'route=traced; member=2; provider=good; model=m; credential=main; attempts=2',
    );
  });
});
