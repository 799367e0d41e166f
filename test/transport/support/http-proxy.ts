/**
 * A loopback HTTP proxy for the transport tests: CONNECT tunnels and plain forwarding of
 * absolute-form requests, optional Basic proxy authentication, optionally served over TLS (an
 * `https://` proxy). It records every connection, tunnel and forwarded request.
 */
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { TEST_CERT, TEST_KEY } from './upstreams';

export interface ProxyCredentials {
  username: string;
  password: string;
}

export interface TestHttpProxyOptions {
  credentials?: ProxyCredentials;
  /** Serve the proxy itself over TLS (the committed `localhost` certificate). */
  tls?: boolean;
  /** Answer every CONNECT with this status instead of opening the tunnel. */
  refuseConnectWith?: number;
}

export interface TestHttpProxy {
  /** `http://127.0.0.1:PORT` or `https://localhost:PORT`, without credentials. */
  url: string;
  /** The same URL with a user and password, when set (or given). */
  urlWith(credentials: ProxyCredentials): string;
  port: number;
  /** TCP connections accepted. */
  connections: number;
  tunnels: { authority: string; authorization: string | undefined }[];
  forwards: { url: string; authorization: string | undefined; host: string | undefined }[];
  close(): Promise<void>;
}

export async function startHttpProxy(options: TestHttpProxyOptions = {}): Promise<TestHttpProxy> {
  const server: Server =
    options.tls === true ? createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }) : createHttpServer();
  const sockets = new Set<Socket>();
  const expected =
    options.credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
  const authorized = (request: IncomingMessage): boolean =>
    expected === undefined || request.headers['proxy-authorization'] === expected;

  const state: TestHttpProxy = {
    url: '',
    urlWith: () => '',
    port: 0,
    connections: 0,
    tunnels: [],
    forwards: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  server.on('connection', (socket: Socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const authority = request.url ?? '';
    state.tunnels.push({ authority, authorization: request.headers['proxy-authorization'] });
    if (!authorized(request)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    if (options.refuseConnectWith !== undefined) {
      client.end(`HTTP/1.1 ${options.refuseConnectWith} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const separator = authority.lastIndexOf(':');
    const host = loopback(authority.slice(0, separator).replace(/^\[|\]$/g, ''));
    const target = connect(Number(authority.slice(separator + 1)), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) target.write(head);
      target.pipe(client);
      client.pipe(target);
    });
    sockets.add(target);
    target.on('close', () => sockets.delete(target));
    target.on('error', () => client.destroy());
    client.on('error', () => target.destroy());
  });

  server.on('request', (request: IncomingMessage, response) => {
    const url = request.url ?? '';
    state.forwards.push({
      url,
      authorization: request.headers['proxy-authorization'],
      host: request.headers.host,
    });
    if (!authorized(request)) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(url);
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    const forwarded = httpRequest(
      {
        host: loopback(target.hostname),
        port: target.port,
        path: target.pathname + target.search,
        method: request.method,
        headers,
      },
      (upstream) => {
        response.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(response);
      },
    );
    forwarded.on('error', () => response.writeHead(502).end());
    request.pipe(forwarded);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  const scheme = options.tls === true ? 'https' : 'http';
  const name = options.tls === true ? 'localhost' : '127.0.0.1';
  state.url = `${scheme}://${name}:${state.port}`;
  state.urlWith = (credentials) =>
    `${scheme}://${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@${name}:${state.port}`;
  return state;
}

/** The test upstreams listen on 127.0.0.1 only; `localhost` could resolve to ::1 first. */
export function loopback(host: string): string {
  return host === 'localhost' ? '127.0.0.1' : host;
}
