/**
 * The undici `connect` function for upstreams with a proxy or a TLS profile: TCP to the upstream
 * or the proxy, the proxy's tunnel (SOCKS5 or HTTP CONNECT), then TLS with the profile's options.
 * We do the TLS step ourselves because undici's own connector overwrites ALPNProtocols, which a
 * profile must be able to set. The whole sequence runs under one connect timeout.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { errors, type buildConnector } from 'undici';
import { openHttpTunnel } from './http-connect-tunnel';
import { ProxyError, type ProxyConfig } from './proxy-config';
import { openSocks5Tunnel } from './socks5-tunnel';
import { DEFAULT_ALPN, trustOptions } from './tls-profile';

export interface TunnelConnectorOptions {
  proxy: ProxyConfig | null;
  /**
   * Forwarding mode (plain `http://` upstreams through an HTTP proxy): undici's origin is the proxy
   * itself, so the connector only opens the connection to the proxy.
   */
  forward: boolean;
  /** The upstream's TLS options from the profile; its trust part also applies to an `https://` proxy. */
  tls: ConnectionOptions;
  connectTimeoutMs: number;
}

const MAX_SESSIONS = 100;
const KEEP_ALIVE_DELAY_MS = 60_000;
const noop = (): void => {};

export function tunnelConnector(options: TunnelConnectorOptions): buildConnector.connector {
  const { proxy, forward, tls, connectTimeoutMs } = options;
  // TLS session tickets per server name, so reconnects resume instead of a full handshake.
  const sessions = new Map<string, Buffer>();

  return (target, callback) => {
    const sockets: Socket[] = [];
    const track = <S extends Socket>(socket: S): S => {
      sockets.push(socket);
      socket.on('error', noop);
      return socket;
    };
    let settled = false;
    const finish = (error: Error | null, socket?: Socket): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === null && socket !== undefined) {
        callback(null, socket);
        return;
      }
      for (const opened of sockets) opened.destroy();
      callback(error ?? new Error('connect failed'), null);
    };
    const via = proxy === null ? '' : ` via proxy ${proxy.label}`;
    const timer = setTimeout(() => {
      finish(new errors.ConnectTimeoutError(`Connect timeout after ${connectTimeoutMs} ms${via}`));
    }, connectTimeoutMs);

    const https = target.protocol === 'https:';
    const host = target.hostname;
    const port = Number(target.port) || (https ? 443 : 80);
    const upgrade = (socket: Socket): Promise<Socket> =>
      https ? startTls(socket, host, port, target.servername, tls, sessions, track) : Promise.resolve(socket);

    const open = async (): Promise<Socket> => {
      if (proxy === null) return upgrade(await tcp(host, port, track));
      const toProxy = await reachProxy(proxy, tls, track);
      if (forward) return toProxy;
      if (proxy.kind === 'socks5') await openSocks5Tunnel(toProxy, proxy, { host, port });
      else await openHttpTunnel(toProxy, proxy, { host, port });
      return upgrade(toProxy);
    };
    open().then(
      (socket) => finish(null, socket),
      (error: Error) => finish(error),
    );
  };
}

async function reachProxy(
  proxy: ProxyConfig,
  tls: ConnectionOptions,
  track: <S extends Socket>(socket: S) => S,
): Promise<Socket> {
  try {
    const socket = await tcp(proxy.host, proxy.port, track);
    if (proxy.kind !== 'https') return socket;
    const trust = { ...trustOptions(tls), ALPNProtocols: [...DEFAULT_ALPN] };
    return await startTls(socket, proxy.host, proxy.port, undefined, trust, null, track);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const detail = typeof code === 'string' ? code : (error as Error).message;
    throw new ProxyError(proxy, `could not be reached (${detail})`, { cause: error });
  }
}

function tcp(host: string, port: number, track: <S extends Socket>(socket: S) => S): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = track(netConnect({ host, port, noDelay: true }));
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function startTls(
  socket: Socket,
  host: string,
  port: number,
  servername: string | undefined,
  options: ConnectionOptions,
  sessions: Map<string, Buffer> | null,
  track: <S extends Socket>(socket: S) => S,
): Promise<TLSSocket> {
  // Server names must not be IP literals (RFC 6066); certificate checks still use `host`.
  const name = servername !== undefined && servername !== '' ? servername : isIP(host) ? undefined : host;
  const sessionKey = name ?? host;
  return new Promise((resolve, reject) => {
    const secure = track(
      tlsConnect({
        ...options,
        ALPNProtocols: options.ALPNProtocols ?? [...DEFAULT_ALPN],
        socket,
        host,
        port,
        servername: name,
        session: sessions?.get(sessionKey),
      }),
    );
    if (sessions !== null) {
      secure.on('session', (session: Buffer) => {
        if (!sessions.has(sessionKey) && sessions.size >= MAX_SESSIONS) {
          const oldest = sessions.keys().next();
          if (oldest.done !== true) sessions.delete(oldest.value);
        }
        sessions.set(sessionKey, session);
      });
    }
    secure.once('secureConnect', () => {
      secure.off('error', reject);
      resolve(secure);
    });
    secure.once('error', reject);
  });
}
