/**
 * The global in-flight limit (GPROXY_MAX_IN_FLIGHT): a gateway request past it is shed at once
 * with 503 and a Retry-After instead of queueing without bound. A request counts from its arrival
 * until its answer is complete: for streams, until the last chunk (or the client leaves).
 */
import { GatewayError } from '../core/errors';
import type { ResponseBody } from '../pipeline/gateway-request';

export const DEFAULT_MAX_IN_FLIGHT = 1024;

export class InFlightLimit {
  private current = 0;

  constructor(readonly max: number = DEFAULT_MAX_IN_FLIGHT) {}

  get count(): number {
    return this.current;
  }

  /** Admits a request and returns its release (idempotent), or null when the limit is reached. */
  enter(): (() => void) | null {
    if (this.current >= this.max) return null;
    this.current++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.current--;
    };
  }
}

export function overloaded(max: number): GatewayError {
  return new GatewayError(
    'overloaded',
    `gproxy is at its limit of ${max} requests in flight; retry shortly.`,
    {
      retryAfterSeconds: 1,
    },
  );
}

/** The body, releasing its in-flight slot when it ends, fails or is cancelled. */
export function releasedWhenDone(body: ResponseBody, release: () => void): ResponseBody {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    release();
    return body;
  }
  return {
    [Symbol.asyncIterator]() {
      const inner = body[Symbol.asyncIterator]();
      return {
        async next() {
          try {
            const result = await inner.next();
            if (result.done === true) release();
            return result;
          } catch (error) {
            release();
            throw error;
          }
        },
        return(value?: unknown) {
          release();
          return inner.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}
