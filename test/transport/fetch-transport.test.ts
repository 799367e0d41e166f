/**
 * The edge transport (global fetch) against a loopback server: the exact request that arrives,
 * the streamed body, headers, timeouts, aborts, connection failures, and the refusal of proxies and
 * TLS profiles it cannot apply.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamRequest } from '../../src/channel/contract';
import { GatewayError } from '../../src/core/errors';
import { FetchTransport } from '../../src/runtime/edge/fetch-transport';
import { TIMEOUTS, readText, startHttpUpstream, type TestUpstream } from './support/upstreams';

let upstream: TestUpstream;
const open = new Set<ServerResponse>();
const transport = new FetchTransport();

beforeAll(async () => {
  upstream = await startHttpUpstream((request, response, body) => {
    open.add(response);
    response.on('close', () => open.delete(response));
    switch (request.url) {
      case '/stream': {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        let n = 0;
        const timer = setInterval(() => {
          n += 1;
          if (n <= 3) response.write(`data: ${n}\n\n`);
          else {
            clearInterval(timer);
            response.end();
          }
        }, 20);
        return;
      }
      case '/slow-head':
        setTimeout(() => response.end('late'), 1_000);
        return;
      case '/stall':
        response.writeHead(200);
        response.write('first');
        return;
      case '/redirect':
        response.writeHead(302, { location: '/elsewhere' }).end();
        return;
      default:
        response.writeHead(201, {
          'content-type': 'application/json',
          'x-req': 'r-1',
          'set-cookie': ['a=1', 'b=2'],
        });
        response.end(JSON.stringify({ body }));
    }
  });
});
afterAll(async () => {
  for (const response of open) response.destroy();
  await upstream.close();
});

function request(path: string, extra: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return { method: 'GET', url: `${upstream.url}${path}`, headers: {}, ...extra };
}

function send(req: UpstreamRequest, timeouts = TIMEOUTS, signal = new AbortController().signal) {
  return transport.send(req, { signal, timeouts });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('FetchTransport', () => {
  it('sends the exact method, URL, headers and body, and returns status and lower-case headers', async () => {
    const response = await send(
      request('/v1/chat/completions?x=1', {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: '{"model":"m"}',
        dispatch: { proxy: 'direct' },
      }),
    );
    expect(response.status).toBe(201);
    expect(response.headers['x-req']).toBe('r-1');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(JSON.parse(await readText(response))).toEqual({ body: '{"model":"m"}' });
    const seen = upstream.seen.at(-1)!;
    expect(seen).toMatchObject({ method: 'POST', url: '/v1/chat/completions?x=1', body: '{"model":"m"}' });
    expect(seen.headers['authorization']).toBe('Bearer k');
    expect(seen.headers['content-type']).toBe('application/json');
  });

  it('streams the body chunk by chunk as it arrives', async () => {
    const response = await send(request('/stream'));
    const chunks: string[] = [];
    for await (const chunk of response.body) chunks.push(new TextDecoder().decode(chunk));
    expect(chunks.join('')).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('returns redirects instead of following them', async () => {
    const response = await send(request('/redirect'));
    expect(response.status).toBe(302);
    expect(response.headers['location']).toBe('/elsewhere');
    await response.discard();
  });

  it('refuses proxies and TLS profiles, which fetch cannot apply', async () => {
    const before = upstream.seen.length;
    const proxy = await rejection(
      send(request('/x', { dispatch: { proxy: 'http://u:secret@proxy.test:3128' } })),
    );
    expect(proxy).toBeInstanceOf(GatewayError);
    expect(proxy).toMatchObject({ code: 'upstream_unreachable', retryable: true });
    expect((proxy as Error).message).toBe(
      `Upstream ${upstream.url}: this provider or credential sets an upstream proxy, which the edge runtime cannot apply (it sends through fetch); remove the setting or run gproxy on Node.`,
    );
    const tls = await rejection(send(request('/x', { dispatch: { tls: { minVersion: 'TLSv1.3' } } })));
    expect((tls as Error).message).toContain('sets a TLS profile, which the edge runtime cannot apply');
    expect(upstream.seen.length).toBe(before);
  });

  it('times out waiting for the first byte (connect + first-byte budget)', async () => {
    const error = await rejection(
      send(request('/slow-head'), { connectMs: 50, firstByteMs: 100, idleMs: 5_000 }),
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_timeout', retryable: true });
    expect((error as Error).message).toBe(`Upstream ${upstream.url} timed out (first byte, 150 ms).`);
  });

  it('times out when the body goes idle, but not while the consumer is slow', async () => {
    const slowReader = await send(request('/stream'), { ...TIMEOUTS, idleMs: 100 });
    const parts: string[] = [];
    for await (const chunk of slowReader.body) {
      parts.push(new TextDecoder().decode(chunk));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(parts.join('')).toContain('data: 3');

    const stalled = await send(request('/stall'), { ...TIMEOUTS, idleMs: 100 });
    const error = await rejection(readText(stalled));
    expect(error).toMatchObject({ code: 'upstream_timeout' });
    expect((error as Error).message).toBe(`Upstream ${upstream.url} timed out (idle, 100 ms).`);
  });

  it('bounds the whole exchange with totalMs when given', async () => {
    const response = await send(request('/stall'), { ...TIMEOUTS, totalMs: 150 } as typeof TIMEOUTS);
    const error = await rejection(readText(response));
    expect((error as Error).message).toBe(`Upstream ${upstream.url} timed out (total, 150 ms).`);
  });

  it("passes the client's abort reason through", async () => {
    const controller = new AbortController();
    const reason = new Error('client left');
    const response = await send(request('/stall'), TIMEOUTS, controller.signal);
    setTimeout(() => controller.abort(reason), 50);
    expect(await rejection(readText(response))).toBe(reason);
    const aborted = new AbortController();
    aborted.abort(reason);
    expect(await rejection(send(request('/x'), TIMEOUTS, aborted.signal))).toBe(reason);
  });

  it('maps connection failures to a retryable upstream_unreachable', async () => {
    const closed = await startHttpUpstream();
    await closed.close();
    const error = await rejection(send({ method: 'GET', url: `${closed.url}/x`, headers: {} }));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_unreachable', retryable: true });
    expect((error as Error).message).toBe(`Upstream ${closed.url} unreachable (ECONNREFUSED).`);
  });
});
