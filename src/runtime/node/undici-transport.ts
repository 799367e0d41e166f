/**
 * The Node transport: undici with keep-alive connection pools, honouring each request's `dispatch`
 * (upstream proxy: HTTP, HTTPS or SOCKS5; TLS profile) through per-(origin, proxy, profile) Agents
 * (transport/dispatcher-routes.ts). Upstream failures become GatewayErrors the pipeline can
 * classify: unreachable (connect errors, resets, proxy failures) and timeouts are retryable; a
 * client abort is passed through as an abort.
 */
import type { SendOptions, Transport, UpstreamRequest, UpstreamResponse } from '../../channel/contract';
import { GatewayError } from '../../core/errors';
import { DispatcherRoutes, type Route } from './transport/dispatcher-routes';
import { proxyAuthorization } from './transport/proxy-config';
import { TotalDeadline } from './transport/total-deadline';
import { translateError, type ErrorContext } from './transport/translate-error';

export interface UndiciTransportOptions {
  connectTimeoutMs: number;
  /** Connections kept per upstream origin. */
  connectionsPerOrigin: number;
  keepAliveTimeoutMs: number;
  /** Most (origin, proxy, TLS profile) Agents kept at once; the least recently used is closed. */
  maxDispatchers?: number;
  /** Instance-wide upstream proxy (GPROXY_UPSTREAM_PROXY) for requests whose dispatch names none. */
  defaultProxy?: string | undefined;
}

export const DEFAULT_UNDICI_OPTIONS: UndiciTransportOptions = {
  connectTimeoutMs: 10_000,
  connectionsPerOrigin: 256,
  keepAliveTimeoutMs: 30_000,
  maxDispatchers: 64,
};

export class UndiciTransport implements Transport {
  private readonly routes: DispatcherRoutes;

  constructor(options: UndiciTransportOptions = DEFAULT_UNDICI_OPTIONS) {
    this.routes = new DispatcherRoutes({
      connectTimeoutMs: options.connectTimeoutMs,
      connectionsPerOrigin: options.connectionsPerOrigin,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs,
      maxDispatchers: options.maxDispatchers ?? DEFAULT_UNDICI_OPTIONS.maxDispatchers ?? 64,
      defaultProxy: options.defaultProxy,
    });
  }

  /** The route a request would take (for tests and diagnostics). */
  route(request: UpstreamRequest): Route {
    return this.routes.select(new URL(request.url), request.dispatch);
  }

  async send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse> {
    const url = new URL(request.url);
    const totalMs = options.timeouts.totalMs;
    const deadline = totalMs === undefined ? null : new TotalDeadline(options.signal, totalMs);
    const context: ErrorContext = {
      signal: options.signal,
      origin: url.origin,
      proxyLabel: undefined,
      deadline,
    };
    try {
      const route = this.routes.select(url, request.dispatch);
      context.proxyLabel = route.proxy?.label;
      const forwardOrigin = route.forwardOrigin;
      const forward = forwardOrigin !== null;
      const response = await route.dispatcher.request({
        origin: forward ? forwardOrigin : url.origin,
        // Forwarding through an HTTP proxy: absolute-form target, the upstream's Host, proxy auth.
        path: forward ? url.origin + url.pathname + url.search : url.pathname + url.search,
        method: request.method,
        headers: forward ? forwardHeaders(request.headers, url, route) : request.headers,
        body: request.body,
        signal: deadline?.signal ?? options.signal,
        headersTimeout: options.timeouts.firstByteMs,
        bodyTimeout: options.timeouts.idleMs,
      });
      const body = response.body;
      if (forward && response.statusCode === 407) {
        await body.dump().catch(() => undefined);
        const detail =
          route.proxy?.username === undefined ? 'requires authentication' : 'rejected the credentials';
        throw new GatewayError(
          'upstream_unreachable',
          `Upstream ${url.origin} unreachable: proxy ${context.proxyLabel} ${detail} (HTTP 407).`,
          { retryable: true },
        );
      }
      return {
        status: response.statusCode,
        headers: response.headers,
        body: translateBodyErrors(body, context),
        discard: async () => {
          deadline?.clear();
          try {
            await body.dump();
          } catch {
            // The connection is being dropped anyway.
          }
        },
      };
    } catch (error) {
      deadline?.clear();
      throw translateError(error, context);
    }
  }

  close(): Promise<void> {
    return this.routes.close();
  }
}

function forwardHeaders(headers: Record<string, string>, url: URL, route: Route): Record<string, string> {
  const forwarded: Record<string, string> = { ...headers, host: url.host };
  const authorization = route.proxy === null ? undefined : proxyAuthorization(route.proxy);
  if (authorization !== undefined) forwarded['proxy-authorization'] = authorization;
  return forwarded;
}

async function* translateBodyErrors(
  body: AsyncIterable<Uint8Array>,
  context: ErrorContext,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw translateError(error, context);
  } finally {
    context.deadline?.clear();
  }
}
