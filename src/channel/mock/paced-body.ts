/**
 * The mock's response bodies: frames released one by one with the configured pauses. Aborting
 * (the client's signal, or discard) clears the pending timer and ends the body with the abort reason.
 */
import type { UpstreamResponse } from '../contract';

const encoder = new TextEncoder();

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts (its timer cleared). */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function pacedResponse(
  frames: readonly string[],
  contentType: string,
  intervalMs: number,
  signal: AbortSignal,
): UpstreamResponse {
  const discarded = new AbortController();
  const stop = (): void => discarded.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });

  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      for (const [i, frame] of frames.entries()) {
        if (i > 0) await abortableDelay(intervalMs, discarded.signal);
        if (discarded.signal.aborted) throw discarded.signal.reason as Error;
        yield encoder.encode(frame);
      }
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  return {
    status: 200,
    headers: { 'content-type': contentType },
    body: body(),
    discard: () => {
      discarded.abort(new DOMException('The mock response was discarded', 'AbortError'));
      signal.removeEventListener('abort', stop);
      return Promise.resolve();
    },
  };
}
