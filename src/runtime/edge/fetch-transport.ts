/**
 * The edge transport: the Transport port served by the global `fetch` (Workers, Deno, Bun, Node).
 * Edge-safe on purpose: no node:* imports and no Buffer. `fetch` cannot choose a proxy or TLS
 * options, so requests whose `dispatch` asks for them are refused with a clear error rather than
 * silently sent directly. Timeouts use one AbortController and one timer per exchange (portable
 * where AbortSignal.any/timeout are missing), re-armed lazily instead of per body chunk.
 */
import type {
  ResponseHeaders,
  SendOptions,
  Transport,
  TransportTimeouts,
  UpstreamRequest,
  UpstreamResponse,
} from '../../channel/contract';
import { GatewayError } from '../../core/errors';

export interface FetchTransportOptions {
  /** Defaults to the global `fetch`; injectable for runtimes that hand one to the handler. */
  fetch?: typeof fetch;
}

type Timeouts = TransportTimeouts;
type Phase = 'first byte' | 'idle' | 'total';

export class FetchTransport implements Transport {
  private readonly fetch: typeof fetch;

  constructor(options: FetchTransportOptions = {}) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse> {
    const origin = originOf(request.url);
    refuseDispatch(request, origin);
    const timeouts: Timeouts = options.timeouts;
    const exchange = new Exchange(options.signal, timeouts);
    // fetch has no separate connect phase: the first-byte budget includes connecting.
    exchange.expect('first byte', timeouts.connectMs + timeouts.firstByteMs);
    let response: Response;
    try {
      response = await this.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: exchange.signal,
        // Like the Node transport: an upstream redirect is the upstream's answer, not followed.
        redirect: 'manual',
      });
    } catch (error) {
      exchange.finish();
      throw exchange.translate(error, origin);
    }
    exchange.expect('idle', timeouts.idleMs);
    const stream = response.body;
    return {
      status: response.status,
      headers: headersOf(response.headers),
      body: readBody(stream, exchange, origin),
      discard: async () => {
        exchange.finish();
        try {
          await stream?.cancel();
        } catch {
          // Already consumed or errored: nothing to release.
        }
      },
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function refuseDispatch(request: UpstreamRequest, origin: string): void {
  const proxy = request.dispatch?.proxy?.trim();
  const wantsProxy = proxy !== undefined && proxy !== '' && proxy !== 'direct';
  const tls = request.dispatch?.tls;
  const wantsTls = tls !== undefined && Object.values(tls).some((value) => value !== undefined);
  if (!wantsProxy && !wantsTls) return;
  const what =
    wantsProxy && wantsTls
      ? 'an upstream proxy and a TLS profile'
      : wantsProxy
        ? 'an upstream proxy'
        : 'a TLS profile';
  throw new GatewayError(
    'upstream_unreachable',
    `Upstream ${origin}: this provider or credential sets ${what}, which the edge runtime cannot apply ` +
      '(it sends through fetch); remove the setting or run gproxy on Node.',
    { retryable: true },
  );
}

/** The timers and the abort signal of one exchange. */
class Exchange {
  private readonly controller = new AbortController();
  private readonly onClientAbort = (): void => this.controller.abort(this.client.reason);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  private phase: Phase = 'first byte';
  private budgetMs = 0;
  private lastActivity = 0;
  /** Only time spent waiting on the upstream counts; a slow consumer is not an idle upstream. */
  private waiting = true;
  /** The phase whose timeout aborted the exchange, if one did. */
  expired: Phase | null = null;

  constructor(
    private readonly client: AbortSignal,
    private readonly timeouts: Timeouts,
  ) {
    if (client.aborted) this.controller.abort(client.reason);
    else client.addEventListener('abort', this.onClientAbort, { once: true });
    const total = timeouts.totalMs;
    if (total !== undefined) this.totalTimer = setTimeout(() => this.expire('total'), total);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  expect(phase: Phase, budgetMs: number): void {
    this.phase = phase;
    this.budgetMs = budgetMs;
    this.lastActivity = Date.now();
    this.waiting = phase === 'first byte';
    clearTimeout(this.timer);
    this.timer = setTimeout(this.check, budgetMs);
  }

  /**
   * Marks the start (`true`) or end of a wait for the next body chunk. The idle timer is pushed
   * back lazily when it fires rather than re-armed per chunk.
   */
  waitingForUpstream(waiting: boolean): void {
    this.waiting = waiting;
    this.lastActivity = Date.now();
  }

  finish(): void {
    clearTimeout(this.timer);
    clearTimeout(this.totalTimer);
    this.client.removeEventListener('abort', this.onClientAbort);
  }

  translate(error: unknown, origin: string): unknown {
    if (this.client.aborted) return this.client.reason ?? error;
    if (error instanceof GatewayError) return error;
    if (this.expired !== null) {
      const limit = this.expired === 'total' ? this.timeouts.totalMs : this.budgetMs;
      return new GatewayError(
        'upstream_timeout',
        `Upstream ${origin} timed out (${this.expired}, ${limit} ms).`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const detail =
      typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : 'unknown error';
    return new GatewayError('upstream_unreachable', `Upstream ${origin} unreachable (${detail}).`, {
      retryable: true,
      cause: error,
    });
  }

  private readonly check = (): void => {
    const left = this.waiting ? this.lastActivity + this.budgetMs - Date.now() : this.budgetMs;
    if (left > 0) this.timer = setTimeout(this.check, left);
    else this.expire(this.phase);
  };

  private expire(phase: Phase): void {
    this.expired = phase;
    this.finish();
    this.controller.abort(new Error(`upstream ${phase} timeout`));
  }
}

async function* readBody(
  stream: ReadableStream<Uint8Array> | null,
  exchange: Exchange,
  origin: string,
): AsyncGenerator<Uint8Array> {
  if (stream === null) {
    exchange.finish();
    return;
  }
  const reader = stream.getReader();
  let ended = false;
  try {
    for (;;) {
      exchange.waitingForUpstream(true);
      const { done, value } = await reader.read();
      exchange.waitingForUpstream(false);
      if (done) {
        ended = true;
        return;
      }
      yield value;
    }
  } catch (error) {
    ended = true;
    throw exchange.translate(error, origin);
  } finally {
    exchange.finish();
    // The consumer stopped early: release the upstream connection.
    if (!ended) reader.cancel().catch(() => undefined);
  }
}

function headersOf(headers: Headers): ResponseHeaders {
  const out: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  // Headers joins repeated values with ", ", which breaks Set-Cookie; keep those as a list.
  const cookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    throw new GatewayError('upstream_unreachable', 'Upstream URL is not a valid URL.', { retryable: false });
  }
}
