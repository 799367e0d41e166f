/**
 * The OpenAI-compatible presets, the custom channel and the azure channel through the real server:
 * a bundle names them by channel id, and the fake upstream sees the exact URL, auth and body.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';

let upstream: FakeUpstream;
let gateway: TestGateway;

function bundle(url: string): unknown {
  return {
    version: 1,
    providers: [
      // A keyless local server: no credential at all.
      { name: 'local', channel: 'ollama', settings: { base_url: `${url}/v1` } },
      {
        name: 'ds',
        channel: 'deepseek',
        settings: { base_url: `${url}/v1` },
        credentials: [{ label: 'main', secret: { api_key: 'sk-deepseek' } }],
      },
      {
        name: 'cu',
        channel: 'custom',
        settings: {
          base_url: `${url}/v1`,
          wire: 'claude',
          auth_header: 'authorization',
          headers: { 'X-Tenant': 't1' },
        },
        credentials: [{ label: 'main', secret: { api_key: 'sk-custom' } }],
      },
      {
        name: 'az',
        channel: 'azure',
        settings: {
          base_url: url,
          deployments: { 'gpt-4o': 'prod-4o' },
          // The fake only knows OpenAI's paths: the override points there, keeping the deployment in the query.
          endpoints: { 'generate-content:openai-chat': `${url}/v1/chat/completions?deployment={model}` },
        },
        credentials: [{ label: 'main', secret: { api_key: 'az-key' } }],
      },
    ],
    routes: [
      { name: 'local-llama', members: [{ provider: 'local', model: 'llama3.2' }] },
      { name: 'ds-chat', members: [{ provider: 'ds', model: 'deepseek-chat' }] },
      { name: 'custom-claude', members: [{ provider: 'cu', model: 'claude-x' }] },
      { name: 'az-4o', members: [{ provider: 'az', model: 'gpt-4o' }] },
    ],
    users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'laptop', key: USER_KEY }] }],
  };
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(bundle(upstream.url));
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

function chat(model: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hi' }] }),
  });
}

function lastRequest() {
  const request = upstream.requests.at(-1);
  if (request === undefined) throw new Error('the upstream saw no request');
  return request;
}

describe('preset, custom and azure channels end to end', () => {
  it('ollama: served without any credential, no authorization sent', async () => {
    const res = await chat('local-llama');
    expect(res.status).toBe(200);
    const seen = lastRequest();
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers['authorization']).toBeUndefined();
    expect(seen.json).toMatchObject({ model: 'llama3.2' });
  });

  it('deepseek: the preset sends the credential as Bearer', async () => {
    const res = await chat('ds-chat');
    expect(res.status).toBe(200);
    expect(lastRequest().headers['authorization']).toBe('Bearer sk-deepseek');
  });

  it('custom claude wire: a chat client is converted to Messages, key in the named header', async () => {
    const res = await chat('custom-claude');
    expect(res.status).toBe(200);
    const json = (await res.json()) as { object: string };
    expect(json.object).toBe('chat.completion');
    const seen = lastRequest();
    expect(seen.path).toBe('/v1/messages');
    expect(seen.headers['authorization']).toBe('Bearer sk-custom');
    expect(seen.headers['x-api-key']).toBeUndefined();
    expect(seen.headers['x-tenant']).toBe('t1');
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.json).toMatchObject({ model: 'claude-x' });
  });

  it('azure: the endpoint override with the deployment, api-key auth, the deployment as the model', async () => {
    const res = await chat('az-4o');
    expect(res.status).toBe(200);
    const seen = lastRequest();
    expect(seen.path).toBe('/v1/chat/completions?deployment=prod-4o');
    expect(seen.headers['api-key']).toBe('az-key');
    expect(seen.headers['authorization']).toBeUndefined();
    expect(seen.json).toMatchObject({ model: 'prod-4o' });
  });
});
