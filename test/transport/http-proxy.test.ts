/**
 * The Node transport through `http://` and `https://` proxies: CONNECT tunnels for HTTPS
 * upstreams, plain forwarding for HTTP ones, Basic proxy credentials from the URL, and proxy
 * failures reported as retryable `upstream_unreachable` errors naming the proxy (never its password).
 */
import { describe, expect, it } from 'vitest';
import type { UpstreamRequest } from '../../src/channel/contract';
import { GatewayError } from '../../src/core/errors';
import { startHttpProxy, type TestHttpProxy } from './support/http-proxy';
import { proxyTestBed } from './support/proxy-test-bed';
import { TEST_CERT, TIMEOUTS, readText } from './support/upstreams';

const credentials = { username: 'proxy-user', password: 's3cret:pa ss' };
const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

const bed = proxyTestBed(startHttpProxy);
const proxy = (options: Parameters<typeof startHttpProxy>[0] = {}): Promise<TestHttpProxy> =>
  bed.start(options);

function post(url: string, dispatch: UpstreamRequest['dispatch']): UpstreamRequest {
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', authorization: 'Bearer upstream-key' },
    body: '{"model":"m"}',
    dispatch,
  };
}

function send(request: UpstreamRequest) {
  return bed.transport!.send(request, { signal: new AbortController().signal, timeouts: TIMEOUTS });
}

async function failure(request: UpstreamRequest): Promise<GatewayError> {
  const error: unknown = await send(request).then(
    () => new Error('expected the request to fail'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('https upstream through an http:// proxy (CONNECT)', () => {
  it('tunnels with Basic proxy credentials; the upstream sees the request, not the proxy credentials', async () => {
    const p = await proxy({ credentials });
    const response = await send(
      post(`${bed.https.url}/v1/chat?x=1`, { proxy: p.urlWith(credentials), tls: { ca: TEST_CERT } }),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(await readText(response))).toEqual({
      ok: true,
      method: 'POST',
      url: '/v1/chat?x=1',
      body: '{"model":"m"}',
    });
    expect(p.tunnels).toEqual([{ authority: `localhost:${bed.https.port}`, authorization: basic }]);
    expect(p.forwards).toEqual([]);
    expect(bed.https.seen).toHaveLength(1);
    expect(bed.https.seen[0]!.headers['authorization']).toBe('Bearer upstream-key');
    expect(bed.https.seen[0]!.headers['proxy-authorization']).toBeUndefined();
    expect(bed.https.seen[0]!.headers['host']).toBe(`localhost:${bed.https.port}`);
  });

  it('keeps the tunnelled connection alive across requests', async () => {
    const p = await proxy();
    for (let i = 0; i < 3; i += 1) {
      const response = await send(
        post(`${bed.https.url}/v1/n${i}`, { proxy: p.url, tls: { ca: TEST_CERT } }),
      );
      await readText(response);
      // undici frees the connection for the next request just after the body's end.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(bed.https.seen.map((seen) => seen.url)).toEqual(['/v1/n0', '/v1/n1', '/v1/n2']);
    expect(p.connections).toBe(1);
    expect(p.tunnels).toHaveLength(1);
  });

  it('fails certificate checks without the profile CA (the tunnel does not bypass TLS)', async () => {
    const p = await proxy();
    const error = await failure(post(`${bed.https.url}/v1/x`, { proxy: p.url }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain(`via proxy http://127.0.0.1:${p.port}`);
    expect(bed.https.seen).toHaveLength(0);
  });
});

describe('http upstream through an http:// proxy (plain forwarding)', () => {
  it('sends the absolute URL to the proxy with the upstream Host and proxy credentials', async () => {
    const p = await proxy({ credentials });
    const response = await send(post(`${bed.http.url}/v1/fwd?q=2`, { proxy: p.urlWith(credentials) }));
    expect(response.status).toBe(200);
    await readText(response);
    expect(p.tunnels).toEqual([]);
    expect(p.forwards).toEqual([
      { url: `${bed.http.url}/v1/fwd?q=2`, authorization: basic, host: `127.0.0.1:${bed.http.port}` },
    ]);
    expect(bed.http.seen).toHaveLength(1);
    expect(bed.http.seen[0]).toMatchObject({ method: 'POST', url: '/v1/fwd?q=2', body: '{"model":"m"}' });
    expect(bed.http.seen[0]!.headers['authorization']).toBe('Bearer upstream-key');
  });

  it('reports a 407 from the forwarding proxy as unreachable, naming the proxy but not the password', async () => {
    const p = await proxy({ credentials });
    const wrong = { username: credentials.username, password: 'wrong-password' };
    const error = await failure(post(`${bed.http.url}/v1/x`, { proxy: p.urlWith(wrong) }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`proxy http://127.0.0.1:${p.port} rejected the credentials (HTTP 407)`);
    expect(error.message).not.toContain('wrong-password');
    expect(bed.http.seen).toHaveLength(0);
  });
});

describe('https:// proxy (TLS to the proxy itself)', () => {
  it('tunnels to an https upstream, trusting the proxy with the profile CA', async () => {
    const p = await proxy({ tls: true, credentials });
    const response = await send(
      post(`${bed.https.url}/v1/tls`, { proxy: p.urlWith(credentials), tls: { ca: TEST_CERT } }),
    );
    expect(response.status).toBe(200);
    await readText(response);
    expect(p.tunnels).toEqual([{ authority: `localhost:${bed.https.port}`, authorization: basic }]);
    expect(bed.https.seen.map((seen) => seen.url)).toEqual(['/v1/tls']);
  });

  it('forwards to an http upstream over TLS to the proxy', async () => {
    const p = await proxy({ tls: true });
    const response = await send(post(`${bed.http.url}/v1/plain`, { proxy: p.url, tls: { ca: TEST_CERT } }));
    expect(response.status).toBe(200);
    await readText(response);
    expect(p.forwards.map((forward) => forward.url)).toEqual([`${bed.http.url}/v1/plain`]);
  });

  it('refuses an https:// proxy whose certificate is not trusted', async () => {
    const p = await proxy({ tls: true });
    const error = await failure(post(`${bed.http.url}/v1/plain`, { proxy: p.url }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain(`proxy https://localhost:${p.port} could not be reached`);
    expect(p.forwards).toEqual([]);
  });
});

describe('proxy failures', () => {
  it('maps a CONNECT 407 to unreachable naming the proxy, without the password', async () => {
    const p = await proxy({ credentials });
    const wrong = { username: 'proxy-user', password: 'not-the-password' };
    const error = await failure(
      post(`${bed.https.url}/v1/x`, { proxy: p.urlWith(wrong), tls: { ca: TEST_CERT } }),
    );
    expect(error.code).toBe('upstream_unreachable');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `Upstream ${bed.https.url} unreachable: proxy http://127.0.0.1:${p.port} rejected the proxy credentials (HTTP 407).`,
    );
    expect(error.message).not.toContain('not-the-password');
    expect(bed.https.seen).toHaveLength(0);
  });

  it('says when a proxy needs credentials that are not configured', async () => {
    const p = await proxy({ credentials });
    const error = await failure(post(`${bed.https.url}/v1/x`, { proxy: p.url, tls: { ca: TEST_CERT } }));
    expect(error.message).toContain('requires authentication (HTTP 407)');
  });

  it('maps a refused tunnel (403) to unreachable', async () => {
    const p = await proxy({ refuseConnectWith: 403 });
    const error = await failure(post(`${bed.https.url}/v1/x`, { proxy: p.url, tls: { ca: TEST_CERT } }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain(`refused the tunnel to localhost:${bed.https.port} (HTTP 403)`);
  });

  it('maps a proxy that refuses connections to unreachable naming it', async () => {
    const p = await proxy();
    const port = p.port;
    await p.close();
    const error = await failure(
      post(`${bed.https.url}/v1/x`, { proxy: `http://user:pw-123@127.0.0.1:${port}` }),
    );
    expect(error.code).toBe('upstream_unreachable');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `Upstream ${bed.https.url} unreachable: proxy http://127.0.0.1:${port} could not be reached (ECONNREFUSED).`,
    );
  });
});
