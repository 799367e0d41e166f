/**
 * A small Upstash-style REST server on loopback that runs every command on a real Redis, so the
 * REST client is proven against real Redis semantics (scripts, TTLs, pub/sub), not a mock:
 *   POST /                 JSON command array            -> {"result": …} | 400 {"error": "…"}
 *   POST /pipeline         array of command arrays       -> [{"result": …} | {"error": "…"}, …]
 *   POST /subscribe/<ch>   SSE: `data: subscribe,<ch>,<n>` then `data: message,<ch>,<message>`
 * Requests need `Authorization: Bearer <token>` (401 otherwise). `down = true` answers 503.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { encodeSseEvent } from '../../src/core/sse';

export interface FakeUpstash {
  url: string;
  token: string;
  /** While true every request answers 503 (an outage). */
  down: boolean;
  /** Requests served so far, by path kind. */
  counts: { command: number; pipeline: number; subscribe: number };
  /** Ends every open subscription stream, as a proxy or a server restart would. */
  dropSubscriptions(): void;
  close(): Promise<void>;
}

export async function startFakeUpstash(
  options: { redisUrl?: string; token?: string } = {},
): Promise<FakeUpstash> {
  const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379';
  const token = options.token ?? 'fake-upstash-token';
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const subscribers = new Set<Redis>();
  const streams = new Set<ServerResponse>();

  const run = async (command: unknown): Promise<{ result?: unknown; error?: string }> => {
    if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string')) {
      return { error: 'ERR expected a JSON array of strings' };
    }
    const [name, ...args] = command;
    try {
      return { result: await redis.call(name ?? '', args) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };

  const fake: FakeUpstash = {
    url: '',
    token,
    down: false,
    counts: { command: 0, pipeline: 0, subscribe: 0 },
    dropSubscriptions: () => {
      for (const res of streams) res.destroy();
      streams.clear();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const subscriber of subscribers) subscriber.disconnect();
      await redis.quit();
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (fake.down) return json(503, { error: 'service unavailable' });
    if (req.headers.authorization !== `Bearer ${token}`) return json(401, { error: 'Unauthorized' });
    if (req.method !== 'POST') return json(405, { error: 'method not allowed' });
    const path = new URL(req.url ?? '/', 'http://fake').pathname;

    if (path.startsWith('/subscribe/')) {
      fake.counts.subscribe++;
      return subscribe(decodeURIComponent(path.slice('/subscribe/'.length)), req, res);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return json(400, { error: 'ERR the body is not JSON' });
    }
    if (path === '/pipeline') {
      fake.counts.pipeline++;
      if (!Array.isArray(body)) return json(400, { error: 'ERR expected an array of commands' });
      const replies = [];
      for (const command of body) replies.push(await run(command));
      return json(200, replies);
    }
    if (path !== '/') return json(404, { error: 'not found' });
    fake.counts.command++;
    const reply = await run(body);
    return json(reply.error === undefined ? 200 : 400, reply);
  };

  const subscribe = async (channel: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const subscriber = redis.duplicate();
    subscribers.add(subscriber);
    streams.add(res);
    const end = (): void => {
      streams.delete(res);
      subscribers.delete(subscriber);
      subscriber.disconnect();
    };
    req.on('close', end);
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) res.write(encodeSseEvent(`message,${channel},${message}`));
    });
    try {
      const count = await subscriber.subscribe(channel);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(encodeSseEvent(`subscribe,${channel},${String(count)}`));
    } catch (error) {
      end();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(JSON.stringify({ error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
