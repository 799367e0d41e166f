import { describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../../control-plane/cache-port';
import { UpstashCommandError, UpstashRestClient } from './rest-client';
import { UpstashCacheBackend } from './upstash-cache';

interface Seen {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: (seen: Seen) => Response) {
  const seen: Seen[] = [];
  const fetch = (url: string, init: RequestInit): Promise<Response> => {
    seen.push({ url, init });
    return Promise.resolve(answer({ url, init }));
  };
  return { seen, fetch };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('UpstashRestClient', () => {
  it('posts a JSON command array with the bearer token and unwraps the result', async () => {
    const { seen, fetch } = fakeFetch(() => json(200, { result: 'OK' }));
    const client = new UpstashRestClient({ url: 'https://eu1-x.upstash.io/', token: 'tok', fetch });
    expect(await client.command(['SET', 'k', 'v', 'PX', 1000])).toBe('OK');
    expect(seen[0]?.url).toBe('https://eu1-x.upstash.io');
    expect(seen[0]?.init.method).toBe('POST');
    expect(new Headers(seen[0]?.init.headers).get('authorization')).toBe('Bearer tok');
    expect(JSON.parse(seen[0]?.init.body as string)).toEqual(['SET', 'k', 'v', 'PX', '1000']);
  });

  it('posts pipelines to /pipeline and unwraps each reply in order', async () => {
    const { seen, fetch } = fakeFetch(() => json(200, [{ result: 'PONG' }, { result: 3 }, { result: null }]));
    const client = new UpstashRestClient({ url: 'https://h', token: 't', fetch });
    expect(await client.pipeline([['PING'], ['INCRBY', 'n', 3], ['GET', 'x']])).toEqual(['PONG', 3, null]);
    expect(seen[0]?.url).toBe('https://h/pipeline');
    expect(JSON.parse(seen[0]?.init.body as string)).toEqual([['PING'], ['INCRBY', 'n', '3'], ['GET', 'x']]);
  });

  it('tells command errors from outages', async () => {
    const reply = (status: number, body: unknown) =>
      new UpstashRestClient({
        url: 'https://h',
        token: 't',
        fetch: fakeFetch(() => json(status, body)).fetch,
      });
    await expect(reply(400, { error: 'ERR value is not an integer' }).command(['INCR', 'x'])).rejects.toEqual(
      new UpstashCommandError('ERR value is not an integer'),
    );
    // A server that cannot serve now (a replica after failover, out of memory) is an outage.
    await expect(
      reply(400, { error: "READONLY You can't write against a read only replica." }).command(['INCR', 'x']),
    ).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(
      reply(200, [{ result: 1 }, { error: 'OOM command not allowed' }]).pipeline([
        ['GET', 'a'],
        ['SET', 'b', 1],
      ]),
    ).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(
      reply(400, { error: 'ERR max daily request limit exceeded. Limit: 10000, Usage: 10000.' }).command([
        'GET',
        'x',
      ]),
    ).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(reply(401, { error: 'Unauthorized' }).command(['GET', 'x'])).rejects.toBeInstanceOf(
      CacheUnavailableError,
    );
    await expect(reply(502, { error: 'bad gateway' }).command(['GET', 'x'])).rejects.toThrow(
      'upstash cache backend unavailable: h: HTTP 502: bad gateway',
    );
    const failing = new UpstashRestClient({
      url: 'https://h',
      token: 't',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    await expect(failing.command(['GET', 'x'])).rejects.toBeInstanceOf(CacheUnavailableError);
  });
});

describe('Upstash subscription stream', () => {
  it('confirms on the subscribe event and delivers messages split across chunks', async () => {
    const encoder = new TextEncoder();
    let push!: (text: string) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(encoder.encode(text));
      },
    });
    const { seen, fetch } = fakeFetch(
      () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    );
    const cache = new UpstashCacheBackend({ url: 'https://h', token: 't', fetch, channelPrefix: 'p:' });
    const got: string[] = [];
    const subscribed = cache.subscribe('a,b', (m) => got.push(m));
    push('data: subscribe,p:a,b,1\n\n');
    const unsubscribe = await subscribed;
    expect(seen[0]?.url).toBe('https://h/subscribe/p%3Aa%2Cb');
    expect(new Headers(seen[0]?.init.headers).get('accept')).toBe('text/event-stream');
    push('data: message,p:a,b,hello, ');
    push('world\n\ndata: message,p:other,x\n\ndata: message,p:a,b,two\ndata: lines\n\n');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(got).toEqual(['hello, world', 'two\nlines']);
    await unsubscribe();
    await cache.close();
  });
});
