/**
 * A loopback SOCKS5 proxy for the transport tests (RFC 1928 CONNECT; no-auth or RFC 1929
 * username/password), written independently of the client under test. It records every connection,
 * the authentication used and each CONNECT target with its address type.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { loopback, type ProxyCredentials } from './http-proxy';

export interface TestSocks5ProxyOptions {
  /** Require username/password authentication with these credentials. */
  credentials?: ProxyCredentials;
  /** Answer every CONNECT with this reply code (e.g. 5: connection refused). */
  replyWith?: number;
}

export interface TestSocks5Proxy {
  port: number;
  /** `socks5://127.0.0.1:PORT`. */
  url: string;
  urlWith(credentials: ProxyCredentials, scheme?: string): string;
  connections: number;
  logins: { username: string; password: string }[];
  targets: { addressType: number; host: string; port: number }[];
  close(): Promise<void>;
}

export async function startSocks5Proxy(options: TestSocks5ProxyOptions = {}): Promise<TestSocks5Proxy> {
  const sockets = new Set<Socket>();
  const state: TestSocks5Proxy = {
    port: 0,
    url: '',
    urlWith: () => '',
    connections: 0,
    logins: [],
    targets: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server = createServer((client) => {
    state.connections += 1;
    track(client);
    void serve(client, options, state, track).catch(() => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `socks5://127.0.0.1:${state.port}`;
  state.urlWith = (credentials, scheme = 'socks5') =>
    `${scheme}://${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${state.port}`;
  return state;
}

async function serve(
  client: Socket,
  options: TestSocks5ProxyOptions,
  state: TestSocks5Proxy,
  track: (socket: Socket) => void,
): Promise<void> {
  const { read, release } = bytesReader(client);
  const greeting = await read(2);
  const methods = [...(await read(greeting[1]!))];
  const wanted = options.credentials === undefined ? 0x00 : 0x02;
  if (greeting[0] !== 5 || !methods.includes(wanted)) {
    client.end(Buffer.from([5, 0xff]));
    return;
  }
  client.write(Buffer.from([5, wanted]));
  if (wanted === 0x02) {
    const [, userLength] = await read(2);
    const username = (await read(userLength!)).toString('utf8');
    const password = (await read((await read(1))[0]!)).toString('utf8');
    state.logins.push({ username, password });
    const ok = username === options.credentials?.username && password === options.credentials.password;
    if (!ok) {
      client.end(Buffer.from([1, 1]));
      return;
    }
    client.write(Buffer.from([1, 0]));
  }
  const [, command, , addressType] = await read(4);
  let host: string;
  if (addressType === 1) host = [...(await read(4))].join('.');
  else if (addressType === 3) host = (await read((await read(1))[0]!)).toString('utf8');
  else host = ((await read(16)).toString('hex').match(/.{4}/g) ?? []).join(':');
  const portBytes = await read(2);
  const port = (portBytes[0]! << 8) | portBytes[1]!;
  state.targets.push({ addressType: addressType!, host, port });
  const reply = (code: number): Buffer => Buffer.from([5, code, 0, 1, 127, 0, 0, 1, 0, 0]);
  if (command !== 1 || options.replyWith !== undefined) {
    client.end(reply(options.replyWith ?? 7));
    return;
  }
  const target = connect(port, loopback(host), () => {
    client.write(reply(0));
    const early = release();
    if (early.length > 0) target.write(early);
    target.pipe(client);
    client.pipe(target);
  });
  track(target);
  target.on('error', () => client.end(reply(5)));
  client.on('close', () => target.destroy());
}

/** Reads exact byte counts from a socket (the client may pipeline its handshake messages). */
function bytesReader(socket: Socket): { read: (length: number) => Promise<Buffer>; release: () => Buffer } {
  let buffer = Buffer.alloc(0);
  let waiting: { length: number; resolve: (bytes: Buffer) => void } | null = null;
  const settle = (): void => {
    if (waiting === null || buffer.length < waiting.length) return;
    const { length, resolve } = waiting;
    waiting = null;
    const bytes = buffer.subarray(0, length);
    buffer = buffer.subarray(length);
    resolve(bytes);
  };
  const onData = (chunk: Buffer): void => {
    buffer = Buffer.concat([buffer, chunk]);
    settle();
  };
  socket.on('data', onData);
  return {
    read: (length) =>
      new Promise<Buffer>((resolve) => {
        waiting = { length, resolve };
        settle();
      }),
    release: () => {
      socket.off('data', onData);
      return buffer;
    },
  };
}
