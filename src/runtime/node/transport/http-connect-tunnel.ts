/**
 * An HTTP CONNECT tunnel through an `http://` or `https://` proxy, over an open socket to it, with
 * Basic `Proxy-Authorization` from the proxy URL's credentials. Used for `https://` upstreams (and
 * any upstream through a tunnel); plain `http://` upstreams are forwarded instead (see
 * dispatcher-factory.ts).
 */
import { isIPv6, type Socket } from 'node:net';
import { HandshakeReader } from './handshake-reader';
import { ProxyError, proxyAuthorization, type ProxyConfig } from './proxy-config';
import type { TunnelTarget } from './socks5-tunnel';

const MAX_RESPONSE_HEAD = 16 * 1024;

export async function openHttpTunnel(
  socket: Socket,
  proxy: ProxyConfig,
  target: TunnelTarget,
): Promise<void> {
  const authority = `${isIPv6(target.host) ? `[${target.host}]` : target.host}:${target.port}`;
  const authorization = proxyAuthorization(proxy);
  const reader = new HandshakeReader(socket);
  try {
    socket.write(
      `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n` +
        (authorization === undefined ? '' : `Proxy-Authorization: ${authorization}\r\n`) +
        '\r\n',
    );
    const head = (await reader.readUntil('\r\n\r\n', MAX_RESPONSE_HEAD)).toString('latin1');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
    if (status === undefined) throw new ProxyError(proxy, 'sent an invalid reply to CONNECT');
    if (status === '407') {
      throw new ProxyError(
        proxy,
        authorization === undefined
          ? 'requires authentication (HTTP 407); put the credentials in the proxy URL'
          : 'rejected the proxy credentials (HTTP 407)',
      );
    }
    if (!status.startsWith('2')) {
      throw new ProxyError(proxy, `refused the tunnel to ${authority} (HTTP ${status})`);
    }
  } catch (error) {
    if (error instanceof ProxyError) throw error;
    throw new ProxyError(proxy, `failed during CONNECT (${(error as Error).message})`, { cause: error });
  } finally {
    reader.release();
  }
}
