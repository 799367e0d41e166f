/**
 * Upstream proxies from the bundle, end to end: a provider's HTTP proxy, a credential's SOCKS5
 * proxy taking precedence over it, and `direct` turning proxying off for one credential.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { startHttpProxy, type TestHttpProxy } from '../transport/support/http-proxy';
import { startSocks5Proxy, type TestSocks5Proxy } from '../transport/support/socks5-proxy';

let upstream: FakeUpstream;
let httpProxy: TestHttpProxy;
let socks: TestSocks5Proxy;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  httpProxy = await startHttpProxy();
  socks = await startSocks5Proxy();
  const base = { channel: 'openai', settings: { base_url: `${upstream.url}/v1`, proxy: httpProxy.url } };
  gateway = await startTestGateway({
    version: 1,
    providers: [
      { name: 'via-http', ...base, credentials: [{ label: 'k', secret: { api_key: 'key-http' } }] },
      {
        name: 'via-socks',
        ...base,
        credentials: [{ label: 'k', secret: { api_key: 'key-socks' }, settings: { proxy: socks.url } }],
      },
      {
        name: 'direct',
        ...base,
        credentials: [{ label: 'k', secret: { api_key: 'key-direct' }, settings: { proxy: 'direct' } }],
      },
    ],
    routes: ['via-http', 'via-socks', 'direct'].map((name) => ({
      name: `r-${name}`,
      members: [{ provider: name, model: 'gpt-up' }],
    })),
    users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] }],
  });
});
afterAll(async () => {
  await gateway.dispose();
  await Promise.all([upstream.close(), httpProxy.close(), socks.close()]);
});
beforeEach(() => upstream.reset());

async function chat(route: string): Promise<number> {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${USER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: route, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('upstream proxies', () => {
  it("sends a provider's requests through its HTTP proxy", async () => {
    expect(await chat('r-via-http')).toBe(200);
    expect(httpProxy.forwards.map((f) => f.url)).toContainEqual(
      expect.stringContaining('/v1/chat/completions'),
    );
    expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer key-http');
  });

  it("prefers the credential's SOCKS5 proxy, and `direct` turns proxying off", async () => {
    const forwardsBefore = httpProxy.forwards.length;
    expect(await chat('r-via-socks')).toBe(200);
    expect(socks.targets.length).toBeGreaterThan(0);
    expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer key-socks');
    const socksBefore = socks.connections;
    expect(await chat('r-direct')).toBe(200);
    expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer key-direct');
    expect(httpProxy.forwards.length).toBe(forwardsBefore);
    expect(socks.connections).toBe(socksBefore);
  });
});
