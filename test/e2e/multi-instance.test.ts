/**
 * Several gateway processes on one PostgreSQL database and one Redis behave as one: an admin
 * change made on one is served by the other within a second (pub/sub invalidation, not the poll:
 * the poll interval here is a minute), console sessions work on any instance, disabling a user on
 * one locks the key out on the other, and concurrent admin writes on both lose nothing.
 * In CI this always runs; locally it skips when PostgreSQL or Redis is not running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../support/fake-upstream';
import type { Served } from '../support/serve-process';
import { startTwoInstances, twoInstancesSkipReason, type TwoInstances } from '../support/two-instances';
import { openAiProvider } from '../support/bundles';

const ADMIN_KEY = 'sk-gp-admin-multi-0000000000000000000000000';
const USER_KEY = 'sk-gp-user-multi-00000000000000000000000000';
const PASSWORD = 'shared console password';

const skip = await twoInstancesSkipReason();

let instances: TwoInstances;
let upstream: FakeUpstream;
let a: Served;
let b: Served;

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
    instances = await startTwoInstances((upstreamUrl) => ({
      version: 1,
      providers: [openAiProvider(upstreamUrl)],
      users: [
        { name: 'root', admin: true, password: PASSWORD, keys: [{ label: 'k', key: ADMIN_KEY }] },
        { name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] },
      ],
    }));
    ({ a, b, upstream } = instances);
  }, 60_000);

  afterAll(async () => {
    await instances?.stop();
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
