/**
 * Several gateway processes on one PostgreSQL database and one Redis behave as one: an admin
 * change made on one is served by the other within a second (pub/sub invalidation, not the poll:
 * the poll interval here is a minute), console sessions work on any instance, disabling a user on
 * one locks the key out on the other, and concurrent admin writes on both lose nothing.
 * In CI this always runs; locally it skips when PostgreSQL or Redis is not running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBundle } from '../../src/control-plane/import-export';
import { openStore } from '../../src/runtime/node/open-store';
import { deleteKeys, newRunPrefix, redisSkipReason, TEST_REDIS_URL } from '../cache/redis-env';
import { throwawayPostgres, type Throwaway } from '../store/conformance/servers';
import type { PostgresTarget } from '../../src/store/persistence/parse-dsn';
import { serverSkipReason } from '../store/conformance/support';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { serveProcess, type Served } from '../support/serve-process';

const ADMIN_KEY = 'sk-gp-admin-multi-0000000000000000000000000';
const USER_KEY = 'sk-gp-user-multi-00000000000000000000000000';
const PASSWORD = 'shared console password';

const skip = (await redisSkipReason()) ?? (await serverSkipReason('PostgreSQL', '127.0.0.1', 5432));

let database: Throwaway<PostgresTarget>;
let upstream: FakeUpstream;
let prefix: string;
let a: Served;
let b: Served;

function dsnOf(target: PostgresTarget): string {
  const auth = target.password === undefined ? target.user : `${target.user}:${target.password}`;
  return `postgres://${auth}@${target.host}:${target.port}/${target.database}`;
}

async function call(
  instance: Served,
  method: string,
  path: string,
  init: { body?: unknown; key?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${instance.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(init.key === undefined ? {} : { authorization: `Bearer ${init.key}` }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

const chat = (instance: Served, model: string) =>
  call(instance, 'POST', '/v1/chat/completions', {
    key: USER_KEY,
    body: { model, messages: [{ role: 'user', content: 'hi' }] },
  });

/** Polls until `check` holds; resolves to the ms it took, or throws after `limitMs`. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

describe.skipIf(skip !== undefined)('several instances as one (PostgreSQL + Redis)', () => {
  beforeAll(async () => {
    database = await throwawayPostgres();
    upstream = await startFakeUpstream();
    prefix = newRunPrefix();
    const dsn = dsnOf(database.target);
    const store = await openStore(dsn);
    try {
      await importBundle(store, {
        version: 1,
        providers: [
          {
            name: 'oa',
            channel: 'openai',
            settings: { base_url: `${upstream.url}/v1` },
            credentials: [{ label: 'main', secret: { api_key: 'sk-up' } }],
          },
        ],
        users: [
          { name: 'root', admin: true, password: PASSWORD, keys: [{ label: 'k', key: ADMIN_KEY }] },
          { name: 'alice', keys: [{ label: 'k', key: USER_KEY }] },
        ],
      });
    } finally {
      await store.close();
    }
    const env = {
      GPROXY_DSN: dsn,
      GPROXY_CACHE_URL: `${TEST_REDIS_URL}/?prefix=${encodeURIComponent(prefix)}`,
      GPROXY_RELOAD_INTERVAL_MS: '60000',
    };
    [a, b] = await Promise.all([serveProcess([], env), serveProcess([], env)]);
  }, 60_000);

  afterAll(async () => {
    for (const instance of [a, b]) {
      instance?.child.kill('SIGTERM');
      await instance?.exited;
    }
    await upstream?.close();
    await database?.drop();
    if (prefix !== undefined) await deleteKeys(prefix);
  });

  it('serves a route created on one instance from the other within a second', async () => {
    expect((await chat(b, 'shared-route')).status).toBe(404);
    const created = await call(a, 'POST', '/admin/routes', {
      key: ADMIN_KEY,
      body: { name: 'shared-route', members: [{ provider: 'oa', model: 'gpt-up' }] },
    });
    expect(created.status).toBe(201);
    const ms = await within(1000, async () => (await chat(b, 'shared-route')).status === 200);
    expect(ms).toBeLessThan(1000);
    expect(upstream.requests.at(-1)?.json).toMatchObject({ model: 'gpt-up' });
  });

  it('honours a console session on any instance', async () => {
    const signIn = await call(a, 'POST', '/admin/session', {
      body: { username: 'root', password: PASSWORD },
    });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const onB = await call(b, 'GET', '/admin/session', { headers: { cookie } });
    expect(onB.status).toBe(200);
    expect(await onB.json()).toMatchObject({ user: { name: 'root' }, via: 'session' });
  });

  it('locks a user out on every instance when one disables it', async () => {
    expect((await chat(a, 'shared-route')).status).toBe(200);
    expect(
      (await call(b, 'PATCH', '/admin/users/alice', { key: ADMIN_KEY, body: { enabled: false } })).status,
    ).toBe(200);
    await within(1000, async () => (await chat(a, 'shared-route')).status === 401);
    await call(b, 'PATCH', '/admin/users/alice', { key: ADMIN_KEY, body: { enabled: true } });
  });

  it('loses no admin write when both instances write at once', async () => {
    const writes = Array.from({ length: 16 }, (_, i) =>
      call(i % 2 === 0 ? a : b, 'POST', '/admin/aliases', {
        key: ADMIN_KEY,
        body: { name: `alias-${i}`, target: 'shared-route' },
      }),
    );
    const statuses = (await Promise.all(writes)).map((response) => response.status);
    expect(statuses).toEqual(Array.from({ length: 16 }, () => 201));
    const list = (await (await call(b, 'GET', '/admin/aliases', { key: ADMIN_KEY })).json()) as {
      data: { name: string }[];
    };
    expect(list.data.filter((alias) => alias.name.startsWith('alias-'))).toHaveLength(16);
  });
});
