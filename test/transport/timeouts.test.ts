/**
 * Node transport timeouts and aborts: first byte, idle between chunks, the optional total bound on
 * the whole exchange (including through a proxy), and the client's abort passed through as is.
 */
import type { ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TransportTimeouts, UpstreamRequest } from '../../src/channel/contract';
import { GatewayError } from '../../src/core/errors';
import { DEFAULT_UNDICI_OPTIONS, UndiciTransport } from '../../src/runtime/node/undici-transport';
import { startSocks5Proxy, type TestSocks5Proxy } from './support/socks5-proxy';
import { TIMEOUTS, readText, startHttpUpstream, type TestUpstream } from './support/upstreams';

let upstream: TestUpstream;
let socks: TestSocks5Proxy;
let transport: UndiciTransport;
const open = new Set<ServerResponse>();

/** `/slow-head` answers after 2.5 s (undici's header/body timers tick about once a second); `/trickle` sends a chunk every 50 ms for 1.2 s; `/stall` stops after one chunk. */
beforeAll(async () => {
  upstream = await startHttpUpstream((request, response) => {
    open.add(response);
    response.on('close', () => open.delete(response));
    if (request.url === '/slow-head') {
      setTimeout(() => response.end('late'), 2_500);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('first;');
    if (request.url === '/trickle') {
      const timer = setInterval(() => response.write('more;'), 50);
      setTimeout(() => {
        clearInterval(timer);
        response.end('done');
      }, 1_200);
      response.on('close', () => clearInterval(timer));
    }
  });
  socks = await startSocks5Proxy();
});
afterAll(async () => {
  for (const response of open) response.destroy();
  await Promise.all([upstream.close(), socks.close()]);
});
afterEach(async () => {
  await transport.close();
});

function send(
  path: string,
  timeouts: TransportTimeouts,
  options: { signal?: AbortSignal; proxy?: string; connectTimeoutMs?: number; origin?: string } = {},
) {
  transport = new UndiciTransport({
    ...DEFAULT_UNDICI_OPTIONS,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_UNDICI_OPTIONS.connectTimeoutMs,
  });
  const request: UpstreamRequest = {
    method: 'GET',
    url: `${options.origin ?? upstream.url}${path}`,
    headers: {},
    dispatch: options.proxy === undefined ? undefined : { proxy: options.proxy },
  };
  return transport.send(request, { signal: options.signal ?? new AbortController().signal, timeouts });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('Node transport timeouts', () => {
  it('connect: a proxy that accepts but never answers the handshake is an upstream_timeout naming it', async () => {
    const held: Socket[] = [];
    let closed = 0;
    const silent = createServer((socket) => {
      held.push(socket);
      socket.resume(); // read (and ignore) the handshake, so the client's close is seen
      socket.on('close', () => (closed += 1));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      // An https upstream, so the HTTP proxy is asked for a CONNECT tunnel (not plain forwarding).
      const origin = 'https://upstream.test';
      for (const scheme of ['socks5', 'http']) {
        const proxy = `${scheme}://u:pw@127.0.0.1:${port}`;
        const error = await rejection(send('/x', TIMEOUTS, { proxy, connectTimeoutMs: 200, origin }));
        expect(error).toBeInstanceOf(GatewayError);
        expect(error).toMatchObject({ code: 'upstream_timeout', retryable: true });
        expect((error as Error).message).toBe(
          `Upstream ${origin} via proxy ${scheme}://127.0.0.1:${port} timed out (ConnectTimeoutError).`,
        );
        await transport.close();
      }
      // The half-open connections to the proxy were dropped, not leaked.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(held.length).toBeGreaterThanOrEqual(2);
      expect(closed).toBe(held.length);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('first byte: headers later than firstByteMs are an upstream_timeout', async () => {
    const error = await rejection(send('/slow-head', { ...TIMEOUTS, firstByteMs: 100 }));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_timeout', retryable: true });
    expect((error as Error).message).toBe(`Upstream ${upstream.url} timed out (HeadersTimeoutError).`);
  });

  it('idle: a body that stops for idleMs is an upstream_timeout while reading', async () => {
    const response = await send('/stall', { ...TIMEOUTS, idleMs: 150 });
    const error = await rejection(readText(response));
    expect(error).toMatchObject({ code: 'upstream_timeout', retryable: true });
  });

  it('total: a body still trickling at totalMs is cut with an upstream_timeout', async () => {
    const started = Date.now();
    const response = await send('/trickle', { ...TIMEOUTS, totalMs: 300 });
    expect(response.status).toBe(200);
    const error = await rejection(readText(response));
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('upstream_timeout');
    expect((error as Error).message).toBe(
      `Upstream ${upstream.url} did not finish within the total timeout of 300 ms.`,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('total: names the proxy when the exchange went through one', async () => {
    const response = await send('/trickle', { ...TIMEOUTS, totalMs: 200 }, { proxy: socks.url });
    const error = await rejection(readText(response));
    expect((error as Error).message).toBe(
      `Upstream ${upstream.url} via proxy socks5://127.0.0.1:${socks.port} did not finish within the total timeout of 200 ms.`,
    );
  });

  it('a finished exchange within totalMs is unaffected', async () => {
    const response = await send('/trickle', { ...TIMEOUTS, totalMs: 10_000 });
    expect(await readText(response)).toMatch(/^first;(more;)+done$/);
  });

  it("passes the client's abort reason through, with or without a total timeout", async () => {
    for (const timeouts of [TIMEOUTS, { ...TIMEOUTS, totalMs: 10_000 }]) {
      const controller = new AbortController();
      const reason = new Error('client went away');
      const response = await send('/trickle', timeouts, { signal: controller.signal });
      setTimeout(() => controller.abort(reason), 100);
      expect(await rejection(readText(response))).toBe(reason);
      await transport.close();
    }
  });
});
