/**
 * Orgs, teams and permissions end to end: grants at org, team, user and key level unite; calls
 * outside them get 403 in the caller's own wire; disabling a team locks its users out at once; keys
 * can be revealed only with a master key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { fakeUpstreamBundle, startTestGateway, type TestGateway } from '../support/gateway';

const ADMIN_KEY = 'sk-gp-tenancy-admin-000000000000000000000';
const ANN_KEY = 'sk-gp-tenancy-ann-00000000000000000000000';
const BOB_KEY = 'sk-gp-tenancy-bob-00000000000000000000000';
const MASTER_KEY = `${'A'.repeat(43)}=`;

let upstream: FakeUpstream;
let gateway: TestGateway;

function tenancyBundle(): unknown {
  const bundle = fakeUpstreamBundle(upstream.url) as Record<string, unknown>;
  return {
    ...bundle,
    orgs: [
      {
        name: 'acme',
        permissions: ['gpt-*'],
        teams: [{ name: 'red', permissions: ['claude-fast'] }, { name: 'blue' }],
      },
    ],
    users: [
      { name: 'root', admin: true, keys: [{ label: 'k', key: ADMIN_KEY }] },
      { name: 'ann', org: 'acme', team: 'red', keys: [{ label: 'k', key: ANN_KEY }] },
      {
        name: 'bob',
        org: 'acme',
        team: 'blue',
        keys: [{ label: 'k', key: BOB_KEY, permissions: ['mock-route'] }],
      },
    ],
  };
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(tenancyBundle());
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});

function call(base: string, wire: 'openai' | 'claude' | 'gemini', key: string, model: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (wire === 'gemini') {
    headers['x-goog-api-key'] = key;
    return fetch(`${base}/v1beta/models/${model}:generateContent`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
  }
  if (wire === 'claude') {
    headers['x-api-key'] = key;
    headers['anthropic-version'] = '2023-06-01';
    return fetch(`${base}/v1/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
    });
  }
  headers['authorization'] = `Bearer ${key}`;
  return fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

function admin(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('permissions', () => {
  it('unites the grants of org, team, user and key', async () => {
    // ann: org gpt-*, team red claude-fast.
    expect((await call(gateway.url, 'openai', ANN_KEY, 'gpt-fast')).status).toBe(200);
    expect((await call(gateway.url, 'openai', ANN_KEY, 'fast')).status).toBe(200); // alias -> gpt-fast
    expect((await call(gateway.url, 'claude', ANN_KEY, 'claude-fast')).status).toBe(200);
    // bob: org gpt-*, key mock-route; his team grants nothing.
    expect((await call(gateway.url, 'openai', BOB_KEY, 'gpt-fast')).status).toBe(200);
    expect((await call(gateway.url, 'openai', BOB_KEY, 'mock-route')).status).toBe(200);
    // admins may use everything.
    expect((await call(gateway.url, 'gemini', ADMIN_KEY, 'gemini-fast')).status).toBe(200);
  });

  it('answers 403 permission_denied in each wire, naming only the model', async () => {
    const openai = await call(gateway.url, 'openai', ANN_KEY, 'mock-route');
    expect(openai.status).toBe(403);
    const openaiBody = (await openai.json()) as { error: { code: string; message: string } };
    expect(openaiBody.error.code).toBe('permission_denied');
    expect(openaiBody.error.message).toBe("You do not have permission to use the model 'mock-route'.");

    const claude = await call(gateway.url, 'claude', BOB_KEY, 'claude-fast');
    expect(claude.status).toBe(403);
    const claudeBody = (await claude.json()) as { type: string; error: { type: string; message: string } };
    expect(claudeBody.type).toBe('error');
    expect(claudeBody.error.type).toBe('permission_error');
    expect(claudeBody.error.message).toContain("'claude-fast'");

    const gemini = await call(gateway.url, 'gemini', ANN_KEY, 'gemini-fast');
    expect(gemini.status).toBe(403);
    const geminiBody = (await gemini.json()) as { error: { code: number; status: string } };
    expect(geminiBody.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
    expect(JSON.stringify(geminiBody)).not.toContain('gemini-2.5-flash');
  });

  it('lists only the models each key may call, in each wire', async () => {
    const list = (path: string, headers: Record<string, string>) =>
      fetch(`${gateway.url}${path}`, { headers }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const openai = await list('/v1/models', { authorization: `Bearer ${ANN_KEY}` });
    expect((openai['data'] as { id: string }[]).map((m) => m.id)).toEqual([
      'claude-fast',
      'fast',
      'gpt-fast',
    ]);
    const claude = await list('/v1/models', { 'x-api-key': BOB_KEY, 'anthropic-version': '2023-06-01' });
    expect((claude['data'] as { id: string }[]).map((m) => m.id)).toEqual(['fast', 'gpt-fast', 'mock-route']);
    const gemini = await list('/v1beta/models', { 'x-goog-api-key': ANN_KEY });
    expect((gemini['models'] as { name: string }[]).map((m) => m.name)).toEqual([
      'models/claude-fast',
      'models/fast',
      'models/gpt-fast',
    ]);
    const scoped = await list('/oa/v1/models', { authorization: `Bearer ${ANN_KEY}` });
    expect(scoped['data']).toEqual([]);
    const unauthenticated = await fetch(`${gateway.url}/v1/models`);
    expect(unauthenticated.status).toBe(401);
  });

  it('keeps unknown models 404', async () => {
    expect((await call(gateway.url, 'openai', ANN_KEY, 'no-such-model')).status).toBe(404);
  });

  it('locks out the users of a disabled team at once, and lets them back in', async () => {
    const off = await admin(gateway.url, 'PATCH', '/admin/orgs/acme/teams/red', { enabled: false });
    expect(off.status).toBe(200);
    expect((await call(gateway.url, 'openai', ANN_KEY, 'gpt-fast')).status).toBe(401);
    expect((await call(gateway.url, 'openai', BOB_KEY, 'gpt-fast')).status).toBe(200);
    await admin(gateway.url, 'PATCH', '/admin/orgs/acme/teams/red', { enabled: true });
    expect((await call(gateway.url, 'openai', ANN_KEY, 'gpt-fast')).status).toBe(200);
  });

  it('edits orgs, teams and grants through the admin API', async () => {
    const org = await admin(gateway.url, 'GET', '/admin/orgs/acme');
    expect(await org.json()).toEqual({ name: 'acme', enabled: true, permissions: ['gpt-*'] });
    const teams = (await (await admin(gateway.url, 'GET', '/admin/orgs/acme/teams')).json()) as {
      data: { name: string }[];
    };
    expect(teams.data.map((t) => t.name)).toEqual(['blue', 'red']);
    const user = (await (await admin(gateway.url, 'GET', '/admin/users/bob')).json()) as Record<
      string,
      unknown
    >;
    expect(user).toMatchObject({ org: 'acme', team: 'blue', permissions: [] });
    expect(
      (await admin(gateway.url, 'PATCH', '/admin/users/bob', { permissions: ['claude-*'] })).status,
    ).toBe(200);
    expect((await call(gateway.url, 'claude', BOB_KEY, 'claude-fast')).status).toBe(200);
    const renamed = await admin(gateway.url, 'PATCH', '/admin/orgs/acme/teams/blue', { name: 'navy' });
    expect(renamed.status).toBe(200);
    expect(await (await admin(gateway.url, 'GET', '/admin/users/bob')).json()).toMatchObject({
      team: 'navy',
    });
    expect((await admin(gateway.url, 'DELETE', '/admin/orgs/acme/teams/navy')).status).toBe(400);
    expect((await admin(gateway.url, 'DELETE', '/admin/orgs/acme')).status).toBe(409);
    expect((await admin(gateway.url, 'POST', '/admin/users', { name: 'x', org: 'nowhere' })).status).toBe(
      400,
    );
  });

  it('refuses to reveal a key without a master key, and says why', async () => {
    const created = await admin(gateway.url, 'POST', '/admin/users/bob/keys', { label: 'new' });
    expect(created.status).toBe(201);
    const reveal = await admin(gateway.url, 'POST', '/admin/users/bob/keys/new/reveal');
    expect(reveal.status).toBe(409);
    const body = (await reveal.json()) as { error: { message: string } };
    expect(body.error.message).toContain('GPROXY_MASTER_KEY');
  });
});

describe('key reveal with a master key', () => {
  let sealed: TestGateway;
  beforeAll(async () => {
    sealed = await startTestGateway(tenancyBundle(), { masterKey: MASTER_KEY });
  });
  afterAll(async () => {
    await sealed.dispose();
  });

  it('reveals a key created through the admin API, and audits it', async () => {
    const created = await admin(sealed.url, 'POST', '/admin/users/ann/keys', { label: 'laptop' });
    const { key } = (await created.json()) as { key: string };
    const listed = (await (await admin(sealed.url, 'GET', '/admin/users/ann/keys/laptop')).json()) as Record<
      string,
      unknown
    >;
    expect(listed).toMatchObject({ label: 'laptop', revealable: true });
    expect(JSON.stringify(listed)).not.toContain(key);

    const reveal = await admin(sealed.url, 'POST', '/admin/users/ann/keys/laptop/reveal');
    expect(reveal.status).toBe(200);
    expect(await reveal.json()).toEqual({ label: 'laptop', key });
    expect((await call(sealed.url, 'openai', key, 'gpt-fast')).status).toBe(200);

    // Imported keys have no sealed copy.
    expect((await admin(sealed.url, 'POST', '/admin/users/ann/keys/k/reveal')).status).toBe(409);
    const audit = (await (await admin(sealed.url, 'GET', '/admin/audit')).json()) as {
      data: { action: string; target: string }[];
    };
    const entry = audit.data.find((a) => a.target === '/admin/users/ann/keys/laptop/reveal');
    expect(entry?.action).toMatch(/^POST .*reveal$/);
    expect(JSON.stringify(audit)).not.toContain(key);
  });
  it('keeps a renamed key revealable: the same key, its sealed copy and creation time go along', async () => {
    const created = await admin(sealed.url, 'POST', '/admin/users/ann/keys', { label: 'phone' });
    const { key, created_at } = (await created.json()) as { key: string; created_at: string };
    const renamed = await admin(sealed.url, 'PATCH', '/admin/users/ann/keys/phone', { label: 'tablet' });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ label: 'tablet', revealable: true, created_at });
    expect((await admin(sealed.url, 'GET', '/admin/users/ann/keys/phone')).status).toBe(404);

    const reveal = await admin(sealed.url, 'POST', '/admin/users/ann/keys/tablet/reveal');
    expect(reveal.status).toBe(200);
    expect(await reveal.json()).toEqual({ label: 'tablet', key });
    expect((await call(sealed.url, 'openai', key, 'gpt-fast')).status).toBe(200);
  });
});
