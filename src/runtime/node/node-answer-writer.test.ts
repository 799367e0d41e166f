import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayResponse } from '../../pipeline/gateway-request';
import { writeAnswer } from './node-answer-writer';

const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves one answer per request; counts the socket writes (syscalls) the response made. */
async function serve(answer: () => GatewayResponse): Promise<{ url: string; writes: () => number }> {
  let writes = 0;
  server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    const socket = res.socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    for (const name of ['_write', '_writev'] as const) {
      const original = socket[name];
      socket[name] = function (this: unknown, ...args: unknown[]) {
        writes++;
        return original.apply(this, args);
      };
    }
    writeAnswer(res, answer());
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, writes: () => writes };
}

async function fetchText(url: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Like an undici body: the end is only known a tick after the last chunk. */
async function* chunks(parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield enc.encode(part);
  await new Promise<void>((resolve) => process.nextTick(resolve));
}

describe('writeAnswer', () => {
  it('writes a whole answer with its length in one write', async () => {
    const { url, writes } = await serve(() => ({
      status: 201,
      headers: { 'content-type': 'application/json', 'x-a': '1' },
      body: '{"ok":"✓"}',
    }));
    const got = await fetchText(url);
    expect(got).toMatchObject({ status: 201, text: '{"ok":"✓"}' });
    expect(got.headers.get('content-length')).toBe(String(enc.encode('{"ok":"✓"}').byteLength));
    expect(got.headers.get('x-a')).toBe('1');
    expect(writes()).toBe(1);
  });

  it('sends a stream that is ready at once in one write, headers and end included', async () => {
    const { url, writes } = await serve(() => ({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: chunks(['data: 1\n\n', 'data: 2\n\n', 'data: [DONE]\n\n']),
    }));
    const got = await fetchText(url);
    expect(got).toMatchObject({ status: 200, text: 'data: 1\n\ndata: 2\n\ndata: [DONE]\n\n' });
    expect(got.headers.get('content-type')).toBe('text/event-stream');
    expect(writes()).toBe(1);
  });

  it('sends the headers before a late first chunk, and each chunk as it comes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let releaseSecond!: () => void;
    const secondGate = new Promise<void>((resolve) => (releaseSecond = resolve));
    async function* late(): AsyncGenerator<Uint8Array> {
      await gate;
      yield enc.encode('first\n');
      await secondGate;
      yield enc.encode('second\n');
    }
    const { url } = await serve(() => ({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: late(),
    }));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    release();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first\n');
    releaseSecond();
    let rest = '';
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      rest += new TextDecoder().decode(next.value);
    }
    expect(rest).toBe('second\n');
  });

  it('stops pulling while the client does not read, and finishes when it does', async () => {
    const size = 64 * 1024;
    let pulled = 0;
    async function* big(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 400; i++) {
        await Promise.resolve();
        pulled++;
        yield new Uint8Array(size).fill(97);
      }
    }
    const { url } = await serve(() => ({ status: 200, headers: {}, body: big() }));
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      const req = request(url, (res) => {
        res.pause();
        setTimeout(() => {
          // Kernel and stream buffers hold some, but far from all 25 MiB.
          expect(pulled).toBeLessThan(200);
          res.on('data', (chunk: Buffer) => (total += chunk.length));
          res.on('end', resolve);
          res.resume();
        }, 300);
      });
      req.on('error', reject);
      req.end();
    });
    expect(total).toBe(400 * size);
    expect(pulled).toBe(400);
  });

  it('returns the body iterator when the client goes away mid-stream', async () => {
    let cleanedUp = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          yield enc.encode('tick\n');
          await sleep(10);
        }
      } finally {
        cleanedUp = true;
      }
    }
    const { url } = await serve(() => ({ status: 200, headers: {}, body: endless() }));
    await new Promise<void>((resolve, reject) => {
      const req = request(url, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => {
        if (!req.destroyed) reject(error);
      });
      req.end();
    });
    for (let i = 0; i < 100 && !cleanedUp; i++) await sleep(10);
    expect(cleanedUp).toBe(true);
  });

  it('cuts the connection when the body fails', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield enc.encode('partial\n');
      await sleep(5);
      throw new Error('boom');
    }
    const { url } = await serve(() => ({ status: 200, headers: {}, body: failing() }));
    await expect(fetchText(url)).rejects.toThrow();
  });
});
