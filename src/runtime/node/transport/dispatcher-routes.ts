/**
 * Chooses the undici dispatcher for a request from its `dispatch` options. Requests without a
 * proxy or TLS profile share one keep-alive Agent (the hot path: no key, no lookup). The others get
 * an Agent per (origin, proxy, TLS profile), created on first use and kept in a bounded LRU; an
 * evicted Agent is closed gracefully (its in-flight requests finish first).
 */
import { isIPv6 } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import type { DispatchOptions } from '../../../channel/contract';
import { DIRECT, parseProxy, type ProxyConfig } from './proxy-config';
import { hasTlsSettings, tlsConnectionOptions, tlsProfileKey } from './tls-profile';
import { tunnelConnector } from './tunnel-connector';

export interface DispatcherRoutesOptions {
  connectTimeoutMs: number;
  connectionsPerOrigin: number;
  keepAliveTimeoutMs: number;
  /** Most (origin, proxy, TLS profile) Agents kept open at once. */
  maxDispatchers: number;
  /** Instance-wide proxy (GPROXY_UPSTREAM_PROXY), used when a request names none. */
  defaultProxy?: string | undefined;
}

export interface Route {
  dispatcher: Dispatcher;
  proxy: ProxyConfig | null;
  /**
   * Set for plain `http://` upstreams through an HTTP proxy: requests go to this origin (the
   * proxy's) with the absolute upstream URL as their target, instead of through a tunnel.
   */
  forwardOrigin: string | null;
}

const noop = (): void => {};

export class DispatcherRoutes {
  private readonly direct: Route;
  private readonly routes = new Map<string, Route>();
  private readonly defaultProxy: string | undefined;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: DispatcherRoutesOptions) {
    this.defaultProxy = nonEmpty(options.defaultProxy);
    // Fail at start, not on the first request, when the instance-wide proxy is unusable.
    if (this.defaultProxy !== undefined && this.defaultProxy !== DIRECT) parseProxy(this.defaultProxy);
    this.direct = {
      dispatcher: new Agent({
        connections: options.connectionsPerOrigin,
        keepAliveTimeout: options.keepAliveTimeoutMs,
        connect: { timeout: options.connectTimeoutMs },
      }),
      proxy: null,
      forwardOrigin: null,
    };
  }

  /** Agents held besides the shared direct one. */
  get size(): number {
    return this.routes.size;
  }

  select(url: URL, dispatch: DispatchOptions | undefined): Route {
    const proxySetting = nonEmpty(dispatch?.proxy) ?? this.defaultProxy;
    const proxied = proxySetting !== undefined && proxySetting !== DIRECT;
    const tls = dispatch?.tls;
    const profiled = hasTlsSettings(tls);
    if (!proxied && !profiled) return this.direct;

    const key = `${url.origin}\n${proxied ? proxySetting : ''}\n${profiled ? tlsProfileKey(tls) : ''}`;
    const found = this.routes.get(key);
    if (found !== undefined) {
      // Most recently used last, so the first entry is the one to evict.
      this.routes.delete(key);
      this.routes.set(key, found);
      return found;
    }
    const route = this.create(url, proxied ? parseProxy(proxySetting) : null, profiled ? tls : undefined);
    this.routes.set(key, route);
    if (this.routes.size > this.options.maxDispatchers) {
      const oldest = this.routes.entries().next();
      if (oldest.done !== true) {
        this.routes.delete(oldest.value[0]);
        oldest.value[1].dispatcher.close().catch(noop);
      }
    }
    return route;
  }

  /** Closes every Agent once their in-flight requests finish. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const all = [this.direct, ...this.routes.values()];
      this.routes.clear();
      await Promise.all(all.map((route) => route.dispatcher.close()));
    })();
    return this.closing;
  }

  private create(url: URL, proxy: ProxyConfig | null, profile: DispatchOptions['tls']): Route {
    const forward = proxy !== null && proxy.kind !== 'socks5' && url.protocol === 'http:';
    const connect = tunnelConnector({
      proxy,
      forward,
      tls: profile === undefined ? {} : tlsConnectionOptions(profile),
      connectTimeoutMs: this.options.connectTimeoutMs,
    });
    const dispatcher = new Agent({
      connections: this.options.connectionsPerOrigin,
      keepAliveTimeout: this.options.keepAliveTimeoutMs,
      connect,
    });
    const host = proxy !== null && isIPv6(proxy.host) ? `[${proxy.host}]` : proxy?.host;
    return { dispatcher, proxy, forwardOrigin: forward ? `${proxy.kind}://${host}:${proxy.port}` : null };
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
