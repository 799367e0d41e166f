/**
 * The Node transport: undici with a keep-alive connection pool per origin. Upstream failures become
 * GatewayErrors the pipeline can classify: unreachable (connect errors, resets) and timeouts are
 * retryable; a client abort is passed through as an abort.
 */
import { Agent, errors } from 'undici';
import type { SendOptions, Transport, UpstreamRequest, UpstreamResponse } from '../../channel/contract';
import { GatewayError } from '../../core/errors';

export interface UndiciTransportOptions {
  connectTimeoutMs: number;
  /** Connections kept per upstream origin. */
  connectionsPerOrigin: number;
  keepAliveTimeoutMs: number;
}

export const DEFAULT_UNDICI_OPTIONS: UndiciTransportOptions = {
  connectTimeoutMs: 10_000,
  connectionsPerOrigin: 256,
  keepAliveTimeoutMs: 30_000,
};

export class UndiciTransport implements Transport {
  private readonly agent: Agent;

  constructor(options: UndiciTransportOptions = DEFAULT_UNDICI_OPTIONS) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      connect: { timeout: options.connectTimeoutMs },
    });
  }

  async send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse> {
    const url = new URL(request.url);
    try {
      const response = await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: options.signal,
        headersTimeout: options.timeouts.firstByteMs,
        bodyTimeout: options.timeouts.idleMs,
      });
      const body = response.body;
      return {
        status: response.statusCode,
        headers: response.headers,
        body: translateBodyErrors(body, options.signal),
        discard: async () => {
          try {
            await body.dump();
          } catch {
            // The connection is being dropped anyway.
          }
        },
      };
    } catch (error) {
      throw translateError(error, options.signal, url.origin);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

async function* translateBodyErrors(
  body: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw translateError(error, signal, 'upstream');
  }
}

function translateError(error: unknown, signal: AbortSignal, origin: string): unknown {
  if (signal.aborted) return signal.reason ?? error;
  if (
    error instanceof errors.ConnectTimeoutError ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError
  ) {
    return new GatewayError('upstream_timeout', `Upstream ${origin} timed out (${error.name}).`, {
      retryable: true,
      cause: error,
    });
  }
  const code = (error as { code?: unknown }).code;
  const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : 'unknown error';
  return new GatewayError('upstream_unreachable', `Upstream ${origin} unreachable (${detail}).`, {
    retryable: true,
    cause: error,
  });
}
