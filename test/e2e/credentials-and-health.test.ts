/**
 * Credential pools on a real server: rotation, failover on 429 with the credential cooling down
 * (visible and resettable through the admin API), RPM budgets, an immediate 429 when everything
 * cools, and the admin API's channel list and "test connection".
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';

const ADMIN_KEY = 'sk-gp-admin-000000000000000000000000000000';
let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway({
    version: 1,
    providers: [
      {
        name: 'pool',
        channel: 'openai',
        settings: { base_url: `${upstream.url}/v1` },
        credentials: [
          { label: 'a', secret: { api_key: 'key-a' } },
          { label: 'b', secret: { api_key: 'key-b' } },
        ],
      },
      {
        name: 'limited',
        channel: 'openai',
        settings: { base_url: `${upstream.url}/v1` },
        credentials: [
          { label: 'x', secret: { api_key: 'key-x' }, rpm: 1 },
          { label: 'y', secret: { api_key: 'key-y' }, rpm: 1 },
        ],
      },
    ],
    routes: [
      { name: 'pooled', members: [{ provider: 'pool', model: 'gpt-up' }] },
      { name: 'budgeted', members: [{ provider: 'limited', model: 'gpt-up' }] },
    ],
    users: [
      { name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] },
      { name: 'root', admin: true, keys: [{ label: 'k', key: ADMIN_KEY }] },
    ],
  });
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(async () => {
  upstream.reset();
  await admin('POST', '/admin/health/reset', {});
});

function chat(model: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${USER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

async function admin(method: string, path: string, body?: unknown, key = ADMIN_KEY): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const keysSeen = (): string[] => upstream.requests.map((r) => r.headers['authorization'] ?? '');

describe('credential pool', () => {
  it('rotates requests over the credentials', async () => {
    for (let i = 0; i < 4; i++) expect((await chat('pooled')).status).toBe(200);
    expect(keysSeen().filter((k) => k === 'Bearer key-a')).toHaveLength(2);
    expect(keysSeen().filter((k) => k === 'Bearer key-b')).toHaveLength(2);
  });

  it('fails over on 429, cools the credential down, shows it to operators, and resets on request', async () => {
    upstream.behave({ statusByKey: { 'key-a': 429 }, headers: { 'retry-after': '120' } });
    for (let i = 0; i < 4; i++) {
      const res = await chat('pooled');
      expect(res.status).toBe(200);
    }
    // key-a was tried once, then skipped while cooling.
    expect(keysSeen().filter((k) => k === 'Bearer key-a')).toHaveLength(1);

    const health = (await (await admin('GET', '/admin/health')).json()) as {
      data: { provider: string; credential: string; state: string; reason: string; until: number }[];
    };
    const cooling = health.data.find((e) => e.credential === 'a');
    expect(cooling).toMatchObject({ provider: 'pool', state: 'cooling', reason: 'rate-limited' });
    expect(cooling!.until - Date.now()).toBeGreaterThan(100_000);

    const reset = (await (
      await admin('POST', '/admin/health/reset', { provider: 'pool', credential: 'a' })
    ).json()) as { reset: number };
    expect(reset.reset).toBe(1);
    upstream.reset();
    for (let i = 0; i < 2; i++) await chat('pooled');
    expect(keysSeen()).toContain('Bearer key-a');
  });

  it('answers at once with 429 and Retry-After when every credential is cooling down', async () => {
    upstream.behave({ status: 429, headers: { 'retry-after': '90' } });
    expect((await chat('pooled')).status).toBe(429);
    upstream.reset();
    const res = await chat('pooled');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(upstream.requests).toHaveLength(0);
  });

  it('skips a credential whose RPM budget is spent, without counting it as a failure', async () => {
    expect((await chat('budgeted')).status).toBe(200);
    expect((await chat('budgeted')).status).toBe(200);
    expect(new Set(keysSeen())).toEqual(new Set(['Bearer key-x', 'Bearer key-y']));
    const third = await chat('budgeted');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(upstream.requests).toHaveLength(2);
  });
});

describe('admin API', () => {
  it('refuses non-admin keys and lists the channels for admins', async () => {
    expect((await admin('GET', '/admin/channels', undefined, USER_KEY)).status).toBe(403);
    expect((await admin('GET', '/admin/channels', undefined, 'sk-gp-nope')).status).toBe(401);
    const channels = (await (await admin('GET', '/admin/channels')).json()) as {
      data: { id: string; nativeWires: string[] }[];
    };
    expect(channels.data.map((c) => c.id)).toEqual(
      expect.arrayContaining(['openai', 'anthropic', 'gemini', 'mock']),
    );
  });

  it('tests a provider connection with a real call through its channel', async () => {
    const ok = (await (await admin('POST', '/admin/providers/pool/test', { model: 'gpt-up' })).json()) as {
      ok: boolean;
      status: number;
    };
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(upstream.requests.at(-1)?.json).toMatchObject({ model: 'gpt-up' });
    upstream.behave({ status: 400 });
    const failed = (await (
      await admin('POST', '/admin/providers/pool/test', { model: 'gpt-up' })
    ).json()) as { ok: boolean; status: number };
    expect(failed).toMatchObject({ ok: false, status: 400 });
    const missing = await admin('POST', '/admin/providers/nope/test', { model: 'm' });
    expect(missing.status).toBe(404);
    const noModel = await admin('POST', '/admin/providers/pool/test', {});
    expect(((await noModel.json()) as { error: { message: string } }).error.message).toContain('model');
  });

  it("pulls a provider's live model list through its channel and merges it into the stored list", async () => {
    const res = await admin('GET', '/admin/providers/pool/upstream-models');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: string[] }).data).toEqual(['gpt-other', 'gpt-up']);
    expect(upstream.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(upstream.requests.at(-1)?.headers['authorization']).toMatch(/^Bearer key-[ab]$/);

    // A hand-added model stays as it is; pulled ids that are new join the list as `pulled`.
    expect(
      (await admin('POST', '/admin/providers/pool/models', { model: 'gpt-up', display_name: 'Mine' })).status,
    ).toBe(201);
    const merged = (await (await admin('POST', '/admin/providers/pool/models/pull')).json()) as {
      added: string[];
      data: { model: string; source: string; display_name: string | null }[];
    };
    expect(merged.added).toEqual(['gpt-other']);
    expect(merged.data).toEqual([
      { model: 'gpt-other', display_name: null, source: 'pulled', enabled: true },
      { model: 'gpt-up', display_name: 'Mine', source: 'manual', enabled: true },
    ]);
    const again = (await (await admin('POST', '/admin/providers/pool/models/pull')).json()) as {
      added: string[];
    };
    expect(again.added).toEqual([]);

    upstream.behave({ status: 401 });
    const failed = await admin('GET', '/admin/providers/pool/upstream-models');
    expect(failed.status).toBe(502);
    expect((await admin('POST', '/admin/providers/pool/models/pull')).status).toBe(502);
  });
});
