/**
 * TLS profiles reach the handshake: versions, ciphers, curves, signature algorithms, ALPN, extra
 * CA and certificate checks. Each case has a control that succeeds, so a profile that were ignored
 * would fail the test.
 */
import type { ServerOptions } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import type { TlsProfile, UpstreamRequest } from '../../src/channel/contract';
import { GatewayError } from '../../src/core/errors';
import { DEFAULT_UNDICI_OPTIONS, UndiciTransport } from '../../src/runtime/node/undici-transport';
import { TEST_CERT, TIMEOUTS, readText, startHttpsUpstream, type TestUpstream } from './support/upstreams';

let upstream: TestUpstream | undefined;
let transport: UndiciTransport | undefined;

afterEach(async () => {
  await transport?.close();
  await upstream?.close();
  transport = undefined;
  upstream = undefined;
});

async function serve(options: ServerOptions = {}): Promise<TestUpstream> {
  upstream = await startHttpsUpstream(options);
  transport = new UndiciTransport({ ...DEFAULT_UNDICI_OPTIONS, connectTimeoutMs: 2_000 });
  return upstream;
}

function request(tls: TlsProfile, path = '/v1/x'): UpstreamRequest {
  return { method: 'GET', url: `${upstream!.url}${path}`, headers: {}, dispatch: { tls } };
}

async function ok(tls: TlsProfile): Promise<void> {
  const response = await transport!.send(request(tls), {
    signal: new AbortController().signal,
    timeouts: TIMEOUTS,
  });
  expect(response.status).toBe(200);
  await readText(response);
}

async function failure(tls: TlsProfile): Promise<GatewayError> {
  const error: unknown = await transport!
    .send(request(tls), { signal: new AbortController().signal, timeouts: TIMEOUTS })
    .then(
      () => new Error('expected the handshake to fail'),
      (thrown: unknown) => thrown,
    );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('TLS profile', () => {
  it('minVersion TLSv1.3 fails against a server that stops at TLSv1.2', async () => {
    const server = await serve({ maxVersion: 'TLSv1.2' });
    await ok({ ca: TEST_CERT });
    expect(server.seen[0]!.tls?.version).toBe('TLSv1.2');
    const error = await failure({ ca: TEST_CERT, minVersion: 'TLSv1.3' });
    expect(error.code).toBe('upstream_unreachable');
    expect(error.retryable).toBe(true);
    expect(server.seen).toHaveLength(1);
  });

  it('maxVersion TLSv1.2 and a cipher list choose the negotiated version and cipher', async () => {
    const server = await serve();
    await ok({ ca: TEST_CERT });
    await ok({ ca: TEST_CERT, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' });
    expect(server.seen.map((seen) => [seen.tls?.version, seen.tls?.cipher])).toEqual([
      ['TLSv1.3', 'TLS_AES_256_GCM_SHA384'],
      ['TLSv1.2', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
    ]);
  });

  it('offers the profile ALPN protocols (http/1.1 alone by default)', async () => {
    const offered: string[][] = [];
    await serve({
      ALPNCallback: ({ protocols }) => {
        offered.push(protocols);
        return 'http/1.1';
      },
    });
    await ok({ ca: TEST_CERT });
    await ok({ ca: TEST_CERT, alpnProtocols: ['http/1.1', 'x-gproxy-test'] });
    expect(offered).toEqual([['http/1.1'], ['http/1.1', 'x-gproxy-test']]);
  });

  it('applies ecdhCurve: no common curve fails the handshake', async () => {
    await serve({ ecdhCurve: 'P-384' });
    await ok({ ca: TEST_CERT, ecdhCurve: 'P-384:X25519' });
    const error = await failure({ ca: TEST_CERT, ecdhCurve: 'X25519' });
    expect(error.code).toBe('upstream_unreachable');
  });

  it('applies sigalgs: none usable with the server certificate fails the handshake', async () => {
    await serve();
    await ok({ ca: TEST_CERT, sigalgs: 'ecdsa_secp256r1_sha256' });
    const error = await failure({ ca: TEST_CERT, sigalgs: 'rsa_pss_rsae_sha256' });
    expect(error.code).toBe('upstream_unreachable');
  });

  it('checks certificates unless the profile trusts the CA or turns checks off', async () => {
    const server = await serve();
    const untrusted = await failure({ alpnProtocols: ['http/1.1'] });
    expect(untrusted.message).toMatch(
      /unreachable \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
    );
    await ok({ ca: TEST_CERT });
    await ok({ rejectUnauthorized: false });
    expect(server.seen).toHaveLength(2);
  });

  it('rejects malformed profile fields with a message naming the field', async () => {
    await serve();
    const error = await failure({ ca: TEST_CERT, rejectUnauthorized: 'false' as unknown as boolean });
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toBe(
      'Upstream dispatch misconfigured: tls.rejectUnauthorized must be true or false.',
    );
    const version = await failure({ minVersion: 'TLSv1.1' as unknown as 'TLSv1.2' });
    expect(version.message).toContain("tls.minVersion must be 'TLSv1.2' or 'TLSv1.3'");
  });
});
