/**
 * Loopback upstreams for the transport tests: plain HTTP and HTTPS (the committed self-signed
 * `localhost` certificate), each recording what reached it and answering a small JSON echo.
 */
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { UpstreamResponse } from '../../../src/channel/contract';

const fixtures = new URL('../fixtures/', import.meta.url);
export const TEST_CERT = readFileSync(new URL('localhost-cert.pem', fixtures), 'utf8');
export const TEST_KEY = readFileSync(new URL('localhost-key.pem', fixtures), 'utf8');

export interface SeenRequest {
  method: string;
  /** The request target as received (origin-form for direct and tunnelled requests). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** For HTTPS: the negotiated protocol version, cipher and ALPN protocol. */
  tls?: { version: string | null; cipher: string; alpn: string | false | null };
}

export interface TestUpstream {
  /** e.g. `http://127.0.0.1:PORT` or `https://localhost:PORT`. */
  url: string;
  port: number;
  seen: SeenRequest[];
  server: Server;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const echo: Handler = (request, response, body) => {
  response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
  response.end(JSON.stringify({ ok: true, method: request.method, url: request.url, body }));
};

export function startHttpUpstream(handler: Handler = echo): Promise<TestUpstream> {
  return listen(createHttpServer(), 'http', '127.0.0.1', handler);
}

/** HTTPS on 127.0.0.1, addressed as `https://localhost:PORT` so the certificate's name matches. */
export function startHttpsUpstream(
  options: ServerOptions = {},
  handler: Handler = echo,
): Promise<TestUpstream> {
  return listen(
    createHttpsServer({ cert: TEST_CERT, key: TEST_KEY, ...options }),
    'https',
    'localhost',
    handler,
  );
}

async function listen(server: Server, scheme: string, name: string, handler: Handler): Promise<TestUpstream> {
  const seen: SeenRequest[] = [];
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const record: SeenRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      };
      if (scheme === 'https') {
        const socket = request.socket as TLSSocket;
        record.tls = {
          version: socket.getProtocol(),
          cipher: socket.getCipher().name,
          alpn: socket.alpnProtocol,
        };
      }
      seen.push(record);
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://${name}:${port}`,
    port,
    seen,
    server,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export async function readText(response: UpstreamResponse): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Timeouts long enough not to interfere unless a test shortens them. */
export const TIMEOUTS = { connectMs: 5_000, firstByteMs: 5_000, idleMs: 5_000 };
