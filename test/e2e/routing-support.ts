/**
 * Shared pieces of the routing end-to-end tests: a fault upstream that breaks connections in
 * ways the regular fake upstream cannot (reset after the headers, reset after the first chunk,
 * silence after the headers), a closed port, and small request helpers. The fault upstream speaks
 * OpenAI Chat; the fault is the first path segment of the provider's base URL:
 * `${fault.url}/<fault>/v1`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SseDecoder } from '../../src/core/sse';

export type Fault = 'reset-after-headers' | 'reset-after-first-chunk' | 'silent-after-headers';

export interface FaultUpstream {
  url: string;
  /** Requests seen per fault. */
  hits: Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const FIRST_CHUNK = {
  id: 'chatcmpl-fault',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'fault',
  choices: [{ index: 0, delta: { role: 'assistant', content: 'Partial' }, finish_reason: null }],
};

export async function startFaultUpstream(): Promise<FaultUpstream> {
  const sockets = new Set<Socket>();
  const hits: Record<string, number> = {};
  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const fault = (req.url ?? '/').split('/')[1] ?? '';
    hits[fault] = (hits[fault] ?? 0) + 1;
    const stream = (JSON.parse(body || '{}') as { stream?: boolean }).stream === true;
    res.writeHead(200, {
      'content-type': stream ? 'text/event-stream' : 'application/json',
    });
    res.flushHeaders();
    if (fault === 'reset-after-headers') setTimeout(() => req.socket.destroy(), 20);
    else if (fault === 'reset-after-first-chunk') {
      // Streams get one complete event, whole bodies a cut-off JSON document.
      res.write(stream ? `data: ${JSON.stringify(FIRST_CHUNK)}\n\n` : '{"id":"chatcmpl-fault","choi');
      setTimeout(() => req.socket.destroy(), 50);
    }
    // silent-after-headers: nothing more, ever.
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handle(req, res, body));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    reset() {
      for (const key of Object.keys(hits)) delete hits[key];
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (connect refused). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function sseEvents(text: string): { event?: string; data: string }[] {
  const decoder = new SseDecoder();
  return [...decoder.push(new TextEncoder().encode(text)), ...decoder.end()];
}

/** The fields of an `x-gproxy-route` header value. */
export function routeFields(header: string | null): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of (header ?? '').split('; ')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return fields;
}

export function poster(baseUrl: () => string, key: string) {
  return (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${baseUrl()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
}
