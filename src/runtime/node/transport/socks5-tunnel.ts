/**
 * A SOCKS5 client handshake (RFC 1928 CONNECT, no-auth or RFC 1929 username/password) over an open
 * socket to the proxy. Host names are sent as names (address type 3) so the proxy resolves them.
 *
 * undici 7 ships an experimental Socks5ProxyAgent, but it emits a process warning, hard-codes 5 s
 * handshake timeouts, and its errors do not name the proxy; this one runs inside our connector, under
 * the transport's connect timeout, and reports failures as ProxyError.
 */
import { isIPv4, isIPv6, type Socket } from 'node:net';
import { HandshakeReader } from './handshake-reader';
import { misconfigured, ProxyError, type ProxyConfig } from './proxy-config';

const VERSION = 0x05;
const NO_AUTH = 0x00;
const USER_PASS = 0x02;
const NO_ACCEPTABLE = 0xff;
const CONNECT = 0x01;

const REPLIES: Record<number, string> = {
  1: 'general failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

export interface TunnelTarget {
  host: string;
  port: number;
}

export async function openSocks5Tunnel(
  socket: Socket,
  proxy: ProxyConfig,
  target: TunnelTarget,
): Promise<void> {
  const withAuth = proxy.username !== undefined;
  const credentials = withAuth ? userPassRequest(proxy) : null;
  const reader = new HandshakeReader(socket);
  try {
    socket.write(Buffer.from(withAuth ? [VERSION, 2, NO_AUTH, USER_PASS] : [VERSION, 1, NO_AUTH]));
    const choice = await reader.read(2);
    if (choice[0] !== VERSION) throw new ProxyError(proxy, 'is not a SOCKS5 proxy');
    if (choice[1] === NO_ACCEPTABLE) {
      const hint = withAuth ? '' : ' (it may require a username and password)';
      throw new ProxyError(proxy, `refused every SOCKS5 authentication method offered${hint}`);
    }
    if (choice[1] === USER_PASS) {
      if (credentials === null) {
        throw new ProxyError(proxy, 'asked for a SOCKS5 username and password, none configured');
      }
      socket.write(credentials);
      const status = await reader.read(2);
      if (status[1] !== 0x00) throw new ProxyError(proxy, 'rejected the SOCKS5 username or password');
    } else if (choice[1] !== NO_AUTH) {
      throw new ProxyError(proxy, `chose an unsupported SOCKS5 authentication method (${choice[1]})`);
    }

    socket.write(connectRequest(target));
    const head = await reader.read(4);
    if (head[0] !== VERSION) throw new ProxyError(proxy, 'sent an invalid SOCKS5 reply');
    const reply = head[1] ?? 1;
    if (reply !== 0x00) {
      const reason = REPLIES[reply] ?? `reply ${reply}`;
      throw new ProxyError(proxy, `could not connect to ${target.host}:${target.port} (SOCKS5 ${reason})`);
    }
    // The bound address the proxy reports is of no use here, but it must be consumed.
    const addressType = head[3];
    if (addressType === 0x01) await reader.read(4 + 2);
    else if (addressType === 0x04) await reader.read(16 + 2);
    else if (addressType === 0x03) await reader.read((await reader.read(1))[0]! + 2);
    else throw new ProxyError(proxy, 'sent an invalid SOCKS5 bound address');
  } catch (error) {
    if (error instanceof ProxyError) throw error;
    throw new ProxyError(proxy, `failed during the SOCKS5 handshake (${(error as Error).message})`, {
      cause: error,
    });
  } finally {
    reader.release();
  }
}

function userPassRequest(proxy: ProxyConfig): Buffer {
  const user = Buffer.from(proxy.username ?? '', 'utf8');
  const pass = Buffer.from(proxy.password ?? '', 'utf8');
  if (user.length === 0 || user.length > 255 || pass.length > 255) {
    throw misconfigured('a SOCKS5 username and password must each be 1 to 255 bytes');
  }
  return Buffer.concat([Buffer.from([0x01, user.length]), user, Buffer.from([pass.length]), pass]);
}

function connectRequest(target: TunnelTarget): Buffer {
  const port = Buffer.from([target.port >> 8, target.port & 0xff]);
  let address: Buffer;
  if (isIPv4(target.host)) {
    address = Buffer.from([0x01, ...target.host.split('.').map(Number)]);
  } else if (isIPv6(target.host)) {
    address = Buffer.concat([Buffer.from([0x04]), ipv6Bytes(target.host)]);
  } else {
    const name = Buffer.from(target.host, 'utf8');
    if (name.length > 255) throw new Error(`host name too long for SOCKS5: ${target.host}`);
    address = Buffer.concat([Buffer.from([0x03, name.length]), name]);
  }
  return Buffer.concat([Buffer.from([VERSION, CONNECT, 0x00]), address, port]);
}

/** The 16 bytes of an IPv6 literal (already validated by isIPv6), embedded IPv4 tail included. */
export function ipv6Bytes(address: string): Buffer {
  let text = address.split('%')[0] ?? address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = '', right] = text.split('::');
  const head = left === '' ? [] : left.split(':');
  const tail = right === undefined || right === '' ? [] : right.split(':');
  const groups =
    right === undefined
      ? head
      : [...head, ...new Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}
