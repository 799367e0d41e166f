/**
 * Failover stays possible until the first byte of an answer has gone to the client. So before a
 * successful exchange is handed to respond(), the attempt loop primes it: a streamed answer is
 * read up to its first chunk, a whole answer is read completely (nothing reaches the client before
 * it is complete anyway). A reset or timeout while priming is the candidate's failure, and the
 * next candidate gets its turn; after priming, a broken stream ends in the wire's error event.
 */
import type { UpstreamResponse } from '../channel/contract';
import { collectBody } from './collect-body';
import type { Exchange } from './exchange';
import type { GatewayRequest } from './gateway-request';

export async function primeAnswer(
  exchange: Exchange,
  request: GatewayRequest,
  maxResponseBytes: number,
): Promise<Exchange> {
  const upstream = exchange.upstream;
  if (request.stream && exchange.upstreamStream) {
    const iterator = upstream.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    return { ...exchange, upstream: withBody(upstream, startingWith(first, iterator)) };
  }
  const whole = await collectBody(upstream.body, maxResponseBytes);
  return { ...exchange, upstream: withBody(upstream, once(whole)) };
}

function withBody(upstream: UpstreamResponse, body: AsyncIterable<Uint8Array>): UpstreamResponse {
  return { status: upstream.status, headers: upstream.headers, body, discard: () => upstream.discard() };
}

/** The rest of a stream with its already-read first result put back (no generator per chunk). */
function startingWith(
  first: IteratorResult<Uint8Array>,
  rest: AsyncIterator<Uint8Array>,
): AsyncIterable<Uint8Array> {
  let pending: IteratorResult<Uint8Array> | null = first;
  const iterator: AsyncIterator<Uint8Array> = {
    next() {
      if (pending === null) return rest.next();
      const result = pending;
      pending = null;
      return Promise.resolve(result);
    },
    return(value?: unknown) {
      pending = null;
      return rest.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

function once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      let done = false;
      return {
        next() {
          if (done) return Promise.resolve({ done: true, value: undefined });
          done = true;
          return Promise.resolve({ done: false, value: bytes });
        },
      };
    },
  };
}
