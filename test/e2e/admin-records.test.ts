/**
 * The admin API's record endpoints, end to end through a real server: an installation set up
 * entirely through the admin API serves traffic at once; errors name the field; secrets are
 * write-only; renames and deletes keep the control plane consistent; the OpenAPI document
 * describes what is served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, type TestGateway } from '../support/gateway';

const ADMIN_KEY = 'sk-gp-admin-records-0000000000000000000000';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway({
    version: 1,
    users: [{ name: 'root', admin: true, keys: [{ label: 'k', key: ADMIN_KEY }] }],
  });
});

afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

function chat(key: string, model: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

type ErrorBody = { error: { code: string; message: string; param: string | null } };

describe('admin API records', () => {
  let userKey = '';

  it('sets up a provider, credential, route, alias, user and key that serve traffic at once', async () => {
    const provider = await admin('POST', '/admin/providers', {
      name: 'oa',
      channel: 'openai',
      settings: { base_url: `${upstream.url}/v1` },
    });
    expect(provider.status).toBe(201);
    expect(await json(provider)).toEqual({
      name: 'oa',
      channel: 'openai',
      settings: { base_url: `${upstream.url}/v1` },
      enabled: true,
    });

    const credential = await admin('POST', '/admin/providers/oa/credentials', {
      label: 'main',
      secret: { api_key: 'sk-upstream-secret-1234' },
    });
    expect(credential.status).toBe(201);
    // Secrets are write-only: the answer shows them masked.
    expect((await json(credential))['secret']).toEqual({ api_key: 'sk-…1234' });

    expect(
      (
        await admin('POST', '/admin/routes', {
          name: 'fast',
          members: [{ provider: 'oa', model: 'gpt-up' }],
        })
      ).status,
    ).toBe(201);
    expect((await admin('POST', '/admin/aliases', { name: 'my-model', target: 'fast' })).status).toBe(201);
    expect((await admin('POST', '/admin/users', { name: 'ann', permissions: ['*'] })).status).toBe(201);

    const key = await json<{ key: string; hint: string; label: string }>(
      await admin('POST', '/admin/users/ann/keys', { label: 'laptop' }),
    );
    expect(key.key).toMatch(/^sk-/);
    expect(key.label).toBe('laptop');
    userKey = key.key;
    // The plaintext is never shown again.
    const keys = await json<{ data: Record<string, unknown>[] }>(await admin('GET', '/admin/users/ann/keys'));
    expect(keys.data).toHaveLength(1);
    expect(JSON.stringify(keys.data)).not.toContain(userKey);

    const res = await chat(userKey, 'my-model');
    expect(res.status).toBe(200);
    expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-upstream-secret-1234');
    expect(upstream.requests.at(-1)?.json).toMatchObject({ model: 'gpt-up' });
  });

  it('answers validation errors that name the field, and 409 for duplicates', async () => {
    const bad = await admin('POST', '/admin/providers', { name: 'a/b', channel: '' });
    expect(bad.status).toBe(400);
    const body = await json<ErrorBody>(bad);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('name: Must not contain "/"');
    expect(body.error.message).toContain('channel: Must not be empty');
    expect(body.error.param).toBe('name');

    const badMember = await admin('PATCH', '/admin/routes/fast', {
      members: [{ provider: 'nope', model: 'x' }],
    });
    expect(badMember.status).toBe(400);
    expect((await json<ErrorBody>(badMember)).error.message).toBe(
      'members[0].provider: Unknown provider "nope"',
    );

    const duplicate = await admin('POST', '/admin/providers', { name: 'oa', channel: 'openai' });
    expect(duplicate.status).toBe(409);
    expect((await json<ErrorBody>(duplicate)).error.code).toBe('conflict');

    const garbage = await admin('POST', '/admin/providers', '{"name": ');
    expect(garbage.status).toBe(400);
    expect((await json<ErrorBody>(garbage)).error.code).toBe('invalid_json');

    expect((await admin('GET', '/admin/providers/missing')).status).toBe(404);
    expect(
      (await admin('POST', '/admin/providers', { name: 'x', channel: 'openai', credentials: [] })).status,
    ).toBe(400);
  });

  it('keeps a credential secret through edits that leave it out, and replaces it when given', async () => {
    const patched = await admin('PATCH', '/admin/providers/oa/credentials/main', { weight: 3 });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ label: 'main', weight: 3, secret: { api_key: 'sk-…1234' } });
    await chat(userKey, 'my-model');
    expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-upstream-secret-1234');

    await admin('PATCH', '/admin/providers/oa/credentials/main', {
      secret: { api_key: 'sk-rotated-secret-9999' },
    });
    await chat(userKey, 'my-model');
    expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-rotated-secret-9999');
  });

  it('renames a provider and carries alias targets along', async () => {
    await admin('POST', '/admin/aliases', { name: 'direct', target: 'oa/gpt-direct' });
    const renamed = await admin('PATCH', '/admin/providers/oa', { name: 'openai-main' });
    expect(renamed.status).toBe(200);
    expect((await admin('GET', '/admin/providers/oa')).status).toBe(404);
    expect(await json(await admin('GET', '/admin/aliases/direct'))).toMatchObject({
      target: 'openai-main/gpt-direct',
    });
    expect((await chat(userKey, 'direct')).status).toBe(200);
    expect(upstream.requests.at(-1)?.json).toMatchObject({ model: 'gpt-direct' });
    const route = await json<{ members: { provider: string }[] }>(await admin('GET', '/admin/routes/fast'));
    expect(route.members[0]?.provider).toBe('openai-main');
  });

  it('refuses to delete what an alias still targets, then deletes with what belongs to it', async () => {
    const blocked = await admin('DELETE', '/admin/routes/fast');
    expect(blocked.status).toBe(409);
    expect((await json<ErrorBody>(blocked)).error.message).toContain('"my-model"');
    expect((await admin('DELETE', '/admin/aliases/my-model')).status).toBe(204);
    expect((await admin('DELETE', '/admin/routes/fast')).status).toBe(204);
    expect((await chat(userKey, 'fast')).status).toBe(404);
  });

  it('disabling a user or revoking a key locks it out at once; you cannot delete yourself', async () => {
    expect((await admin('PATCH', '/admin/users/ann', { enabled: false })).status).toBe(200);
    expect((await chat(userKey, 'direct')).status).toBe(401);
    await admin('PATCH', '/admin/users/ann', { enabled: true });
    expect((await chat(userKey, 'direct')).status).toBe(200);
    expect((await admin('DELETE', '/admin/users/ann/keys/laptop')).status).toBe(204);
    expect((await chat(userKey, 'direct')).status).toBe(401);

    const self = await admin('DELETE', '/admin/users/root');
    expect(self.status).toBe(409);
  });

  it('exports and imports bundles, with a dry run', async () => {
    const bundle = await json<{ providers: { credentials: Record<string, unknown>[] }[] }>(
      await admin('GET', '/admin/bundle'),
    );
    expect(bundle.providers[0]?.credentials[0]).not.toHaveProperty('secret');
    const dry = await json<{ changes: string[]; saved: boolean }>(
      await admin('POST', '/admin/bundle?dry_run=true', { version: 1, routes: [{ name: 'new-route' }] }),
    );
    expect(dry).toEqual({ changes: ['create route "new-route"'], saved: false });
    expect((await admin('GET', '/admin/routes/new-route')).status).toBe(404);
    await admin('POST', '/admin/bundle', { version: 1, routes: [{ name: 'new-route' }] });
    expect((await admin('GET', '/admin/routes/new-route')).status).toBe(200);
  });

  it('reads and changes instance settings, refusing unknown keys and bad values by name', async () => {
    expect(await json(await admin('GET', '/admin/settings'))).toMatchObject({
      usage_retention_days: null,
      audit_retention_days: null,
      request_log: 'errors',
      capture_bodies: false,
    });
    const bad = await admin('PATCH', '/admin/settings', { usage_retention_days: 0, colour: 'red' });
    expect(bad.status).toBe(400);
    const message = (await json<ErrorBody>(bad)).error.message;
    expect(message).toContain('usage_retention_days: Must be at least 1 day');
    expect(message).toContain('colour');
    expect(await json(await admin('PATCH', '/admin/settings', { usage_retention_days: 30 }))).toMatchObject({
      usage_retention_days: 30,
      audit_retention_days: null,
    });
    const bundle = await json<{ settings: unknown }>(await admin('GET', '/admin/bundle'));
    expect(bundle.settings).toMatchObject({ usage_retention_days: 30, audit_retention_days: null });
    expect(await json(await admin('PUT', '/admin/settings', { audit_retention_days: 7 }))).toMatchObject({
      usage_retention_days: null,
      audit_retention_days: 7,
    });
  });

  it('serves an OpenAPI document that describes every endpoint with its body schema', async () => {
    const res = await fetch(`${gateway.url}/admin/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await json<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    }>(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/admin/providers',
        '/admin/providers/{name}',
        '/admin/providers/{name}/credentials/{id}',
        '/admin/providers/{name}/models/pull',
        '/admin/users/{name}/keys',
        '/admin/routes/{name}',
        '/admin/aliases/{name}',
        '/admin/health',
        '/admin/bundle',
      ]),
    );
    const create = doc.paths['/admin/providers']?.['post']?.requestBody?.content['application/json']?.schema;
    expect(create).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['name', 'channel']) as unknown,
    });
  });
});
