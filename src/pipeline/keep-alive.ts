/**
 * A streaming client served by an upstream that cannot stream waits for the whole answer. So that
 * the connection does not look dead, once `delayMs` have passed without an answer the client's
 * stream starts with keep-alive lines (an SSE comment, or whitespace before a JSON-array stream)
 * until the answer is ready; the answer then follows in the same stream, or the wire's stream
 * error if it failed. Answers ready sooner go out as they are, with their own status.
 */
import type { StreamFormat } from '../channel/contract';
import { toGatewayError, type GatewayError } from '../core/errors';
import type { GenerateContentWire } from '../protocol/wire';
import { upstreamErrorFromBody } from './convert/upstream-error';
import type { GatewayResponse, ResponseBody } from './gateway-request';

export interface KeepAliveOptions {
  delayMs: number;
  intervalMs: number;
  wire: GenerateContentWire;
  format: StreamFormat;
  requestId: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TIMEOUT = Symbol('timeout');

function after(ms: number): { promise: Promise<typeof TIMEOUT>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}

export async function withKeepAlive(
  answer: Promise<GatewayResponse>,
  options: KeepAliveOptions,
): Promise<GatewayResponse> {
  const first = after(options.delayMs);
  const early = await Promise.race([answer, first.promise]);
  first.cancel();
  if (early !== TIMEOUT) return early;
  // From here on the client has a 200 stream; a later failure is reported inside it.
  answer.catch(() => undefined);
  const contentType = options.format === 'json-array' ? 'application/json' : 'text/event-stream';
  return {
    status: 200,
    headers: { 'content-type': contentType, 'cache-control': 'no-cache' },
    body: keepAliveBody(answer, options),
  };
}

async function* keepAliveBody(
  answer: Promise<GatewayResponse>,
  options: KeepAliveOptions,
): AsyncGenerator<Uint8Array> {
  const ping = encoder.encode(options.format === 'json-array' ? '\n' : ': keep-alive\n\n');
  let settled = false;
  const done = answer.then(
    () => (settled = true),
    () => (settled = true),
  );
  yield ping;
  while (!settled) {
    const tick = after(options.intervalMs);
    await Promise.race([done, tick.promise]);
    tick.cancel();
    if (!settled) yield ping;
  }
  let response: GatewayResponse;
  try {
    response = await answer;
  } catch (error) {
    yield errorTail(toGatewayError(error), options);
    return;
  }
  if (response.status >= 400) {
    yield errorTail(
      upstreamErrorFromBody(response.status, await bodyText(response.body), undefined),
      options,
    );
    return;
  }
  yield* asChunks(response.body);
}

function errorTail(error: GatewayError, options: KeepAliveOptions): Uint8Array {
  if (options.format === 'json-array') {
    return encoder.encode(`[${options.wire.encodeError(error, options.requestId).body}]`);
  }
  return encoder.encode(options.wire.encodeStreamError(error, options.requestId));
}

async function* asChunks(body: ResponseBody): AsyncGenerator<Uint8Array> {
  if (typeof body === 'string') yield encoder.encode(body);
  else if (body instanceof Uint8Array) yield body;
  else yield* body;
}

async function bodyText(body: ResponseBody): Promise<string> {
  let text = '';
  for await (const chunk of asChunks(body)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
