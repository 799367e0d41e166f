/**
 * Which undici dispatcher a request gets: one shared Agent without proxy or TLS profile, otherwise
 * one per (origin, proxy, TLS profile) by value, bounded with least-recently-used eviction, all
 * closed on close(); the instance proxy applies unless a request says `direct`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DispatchOptions, UpstreamRequest } from '../../src/channel/contract';
import { GatewayError } from '../../src/core/errors';
import { DEFAULT_UNDICI_OPTIONS, UndiciTransport } from '../../src/runtime/node/undici-transport';

const transports: UndiciTransport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
});

function make(options: Partial<ConstructorParameters<typeof UndiciTransport>[0]> = {}): UndiciTransport {
  const transport = new UndiciTransport({ ...DEFAULT_UNDICI_OPTIONS, ...options });
  transports.push(transport);
  return transport;
}

function at(url: string, dispatch?: DispatchOptions): UpstreamRequest {
  return { method: 'POST', url, headers: {}, dispatch };
}

const A = 'https://api.a.test/v1/chat';
const B = 'https://api.b.test/v1/chat';
const PROXY = 'http://user:pw@proxy.test:3128';

describe('dispatcher routes', () => {
  it('shares one Agent for requests without proxy or TLS profile', () => {
    const transport = make();
    const direct = transport.route(at(A));
    expect(direct.proxy).toBeNull();
    for (const dispatch of [{}, { proxy: '' }, { proxy: ' ' }, { tls: {} }, { tls: { ca: undefined } }]) {
      expect(transport.route(at(A, dispatch))).toBe(direct);
    }
    expect(transport.route(at(B))).toBe(direct);
  });

  it('reuses the dispatcher for the same origin, proxy and profile (profiles compared by value)', () => {
    const transport = make();
    const first = transport.route(
      at(A, { proxy: PROXY, tls: { minVersion: 'TLSv1.3', alpnProtocols: ['http/1.1'] } }),
    );
    const again = transport.route(
      at(`${A}?other=path`, { proxy: PROXY, tls: { alpnProtocols: ['http/1.1'], minVersion: 'TLSv1.3' } }),
    );
    expect(again).toBe(first);
    expect(first.proxy?.label).toBe('http://proxy.test:3128');
    expect(
      transport.route(at(B, { proxy: PROXY, tls: { minVersion: 'TLSv1.3', alpnProtocols: ['http/1.1'] } })),
    ).not.toBe(first);
    expect(transport.route(at(A, { proxy: PROXY, tls: { minVersion: 'TLSv1.2' } }))).not.toBe(first);
    expect(transport.route(at(A, { proxy: 'http://other:pw@proxy.test:3128' }))).not.toBe(first);
  });

  it('forwards plain http upstreams through HTTP proxies and tunnels everything else', () => {
    const transport = make();
    expect(transport.route(at('http://plain.test/x', { proxy: PROXY })).forwardOrigin).toBe(
      'http://proxy.test:3128',
    );
    expect(transport.route(at('http://plain.test/x', { proxy: 'https://[::1]:8443' })).forwardOrigin).toBe(
      'https://[::1]:8443',
    );
    expect(transport.route(at(A, { proxy: PROXY })).forwardOrigin).toBeNull();
    expect(
      transport.route(at('http://plain.test/x', { proxy: 'socks5://proxy.test' })).forwardOrigin,
    ).toBeNull();
  });

  it('keeps at most maxDispatchers, closing the least recently used', () => {
    const transport = make({ maxDispatchers: 2 });
    const one = transport.route(at('https://one.test/', { proxy: PROXY }));
    const two = transport.route(at('https://two.test/', { proxy: PROXY }));
    expect(transport.route(at('https://one.test/', { proxy: PROXY }))).toBe(one);
    transport.route(at('https://three.test/', { proxy: PROXY }));
    expect((two.dispatcher as unknown as { closed: boolean }).closed).toBe(true);
    expect((one.dispatcher as unknown as { closed: boolean }).closed).toBe(false);
    expect(transport.route(at('https://one.test/', { proxy: PROXY }))).toBe(one);
    expect(transport.route(at('https://two.test/', { proxy: PROXY }))).not.toBe(two);
  });

  it('closes every dispatcher on close()', async () => {
    const transport = make();
    const direct = transport.route(at(A));
    const proxied = transport.route(at(A, { proxy: PROXY }));
    await transport.close();
    transports.length = 0;
    expect((direct.dispatcher as unknown as { closed: boolean }).closed).toBe(true);
    expect((proxied.dispatcher as unknown as { closed: boolean }).closed).toBe(true);
  });

  it('uses the instance proxy unless the request names one or says direct', () => {
    const transport = make({ defaultProxy: 'socks5://instance.test:1080' });
    expect(transport.route(at(A)).proxy?.label).toBe('socks5://instance.test:1080');
    expect(transport.route(at(A, { proxy: PROXY })).proxy?.label).toBe('http://proxy.test:3128');
    expect(transport.route(at(A, { proxy: 'direct' })).proxy).toBeNull();
  });

  it('rejects unusable proxy URLs without echoing them', () => {
    const transport = make();
    const bad = (proxy: string): GatewayError => {
      try {
        transport.route(at(A, { proxy }));
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
        return error as GatewayError;
      }
      throw new Error(`expected '${proxy}' to be rejected`);
    };
    const scheme = bad('ftp://user:hunter2@proxy.test');
    expect(scheme.code).toBe('upstream_unreachable');
    expect(scheme.message).toBe(
      "Upstream dispatch misconfigured: the upstream proxy scheme 'ftp:' is not supported (use http://, https://, socks5:// or socks5h://).",
    );
    expect(bad('://user:hunter2@proxy.test').message).toBe(
      'Upstream dispatch misconfigured: the upstream proxy setting is not a valid URL.',
    );
    expect(() => make({ defaultProxy: 'gopher://x' })).toThrow(/proxy scheme 'gopher:'/);
  });
});
