/**
 * The Node transport through a SOCKS5 proxy: no-auth and username/password, host names sent for
 * the proxy to resolve, TLS to HTTPS upstreams inside the tunnel, and SOCKS failures reported as
 * retryable `upstream_unreachable` errors naming the proxy (never its password).
 */
import { describe, expect, it } from 'vitest';
import type { UpstreamRequest } from '../../src/channel/contract';
import { GatewayError } from '../../src/core/errors';
import { ipv6Bytes } from '../../src/runtime/node/transport/socks5-tunnel';
import { startSocks5Proxy, type TestSocks5Proxy } from './support/socks5-proxy';
import { proxyTestBed } from './support/proxy-test-bed';
import { TEST_CERT, TIMEOUTS, readText } from './support/upstreams';

const credentials = { username: 'sock-user', password: 'p@ss:word' };
const DOMAIN = 3;
const IPV4 = 1;

const bed = proxyTestBed(startSocks5Proxy);
const socks = (options: Parameters<typeof startSocks5Proxy>[0] = {}): Promise<TestSocks5Proxy> =>
  bed.start(options);

function get(url: string, dispatch: UpstreamRequest['dispatch']): UpstreamRequest {
  return { method: 'GET', url, headers: { 'x-api-key': 'k-1' }, dispatch };
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

describe('SOCKS5 without authentication', () => {
  it('connects an http upstream through the proxy, sending the host name for the proxy to resolve', async () => {
    const proxy = await socks();
    const upstream = `http://localhost:${bed.http.port}`;
    const response = await send(get(`${upstream}/v1/models?page=2`, { proxy: proxy.url }));
    expect(response.status).toBe(200);
    expect(JSON.parse(await readText(response))).toMatchObject({ method: 'GET', url: '/v1/models?page=2' });
    expect(proxy.connections).toBe(1);
    expect(proxy.logins).toEqual([]);
    expect(proxy.targets).toEqual([{ addressType: DOMAIN, host: 'localhost', port: bed.http.port }]);
    expect(bed.http.seen).toHaveLength(1);
    expect(bed.http.seen[0]!.headers['x-api-key']).toBe('k-1');
    expect(bed.http.seen[0]!.headers['host']).toBe(`localhost:${bed.http.port}`);
  });

  it('sends IPv4 literals as addresses and reuses the tunnel for the next request', async () => {
    const proxy = await socks();
    for (const path of ['/a', '/b']) {
      await readText(await send(get(`${bed.http.url}${path}`, { proxy: proxy.url })));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(proxy.targets).toEqual([{ addressType: IPV4, host: '127.0.0.1', port: bed.http.port }]);
    expect(proxy.connections).toBe(1);
    expect(bed.http.seen.map((seen) => seen.url)).toEqual(['/a', '/b']);
  });

  it('runs TLS to an https upstream inside the tunnel, with the profile applied', async () => {
    const proxy = await socks();
    const response = await send(
      get(`${bed.https.url}/v1/secure`, { proxy: proxy.url, tls: { ca: TEST_CERT } }),
    );
    expect(response.status).toBe(200);
    await readText(response);
    expect(proxy.targets).toEqual([{ addressType: DOMAIN, host: 'localhost', port: bed.https.port }]);
    expect(bed.https.seen.map((seen) => seen.url)).toEqual(['/v1/secure']);
  });

  it('maps a SOCKS5 failure reply to unreachable naming the proxy', async () => {
    const proxy = await socks({ replyWith: 5 });
    const error = await failure(get(`${bed.http.url}/v1/x`, { proxy: proxy.url }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `Upstream ${bed.http.url} unreachable: proxy socks5://127.0.0.1:${proxy.port} could not connect to 127.0.0.1:${bed.http.port} (SOCKS5 connection refused).`,
    );
    expect(bed.http.seen).toHaveLength(0);
  });

  it('maps a SOCKS5 proxy that is down to unreachable', async () => {
    const proxy = await socks();
    await proxy.close();
    const error = await failure(get(`${bed.http.url}/v1/x`, { proxy: proxy.url }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain(
      `proxy socks5://127.0.0.1:${proxy.port} could not be reached (ECONNREFUSED)`,
    );
  });
});

describe('SOCKS5 with username and password (RFC 1929)', () => {
  it('authenticates with the credentials from the URL (socks5h:// too)', async () => {
    const proxy = await socks({ credentials });
    const response = await send(
      get(`${bed.http.url}/v1/auth`, { proxy: proxy.urlWith(credentials, 'socks5h') }),
    );
    expect(response.status).toBe(200);
    await readText(response);
    expect(proxy.logins).toEqual([credentials]);
    expect(bed.http.seen.map((seen) => seen.url)).toEqual(['/v1/auth']);
  });

  it('maps rejected credentials to unreachable without leaking the password', async () => {
    const proxy = await socks({ credentials });
    const wrong = { username: 'sock-user', password: 'bad-secret' };
    const error = await failure(get(`${bed.http.url}/v1/x`, { proxy: proxy.urlWith(wrong) }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toBe(
      `Upstream ${bed.http.url} unreachable: proxy socks5://127.0.0.1:${proxy.port} rejected the SOCKS5 username or password.`,
    );
    expect(error.message).not.toContain('bad-secret');
    expect(proxy.targets).toEqual([]);
  });

  it('says when the proxy needs credentials that are not configured', async () => {
    const proxy = await socks({ credentials });
    const error = await failure(get(`${bed.http.url}/v1/x`, { proxy: proxy.url }));
    expect(error.message).toContain(
      'refused every SOCKS5 authentication method offered (it may require a username and password)',
    );
  });
});

describe('ipv6Bytes', () => {
  it('expands compressed forms and embedded IPv4', () => {
    expect(ipv6Bytes('::1').toString('hex')).toBe('00000000000000000000000000000001');
    expect(ipv6Bytes('2001:db8::8a2e:370:7334').toString('hex')).toBe('20010db80000000000008a2e03707334');
    expect(ipv6Bytes('::ffff:192.0.2.1').toString('hex')).toBe('00000000000000000000ffffc0000201');
    expect(ipv6Bytes('fe80::1%eth0').toString('hex')).toBe('fe800000000000000000000000000001');
    expect(ipv6Bytes('1:2:3:4:5:6:7:8').toString('hex')).toBe('00010002000300040005000600070008');
  });
});
