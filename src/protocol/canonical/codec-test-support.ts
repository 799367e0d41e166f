/**
 * Helpers the codec tests share (imported by tests only): feeding SSE text through a codec's stream
 * decoder, running events through its stream encoder, and encode contexts with fixed ids and times.
 */
import { SseDecoder } from '../../core/sse';
import type { SseEvent } from '../../core/sse';
import type {
  DecodeRequestContext,
  EncodeResponseContext,
  EncodeStreamContext,
  GenerateContentCodec,
} from './codec';
import type { CanonicalRequest } from './request';
import type { StreamEvent } from './stream-events';
import { TransformWarnings } from './warnings';

const utf8 = new TextEncoder();

/** The SSE events of a whole text. */
export function sseEventsOf(text: string): SseEvent[] {
  const sse = new SseDecoder();
  return [...sse.push(utf8.encode(text)), ...sse.end()];
}

/** `bytes` cut into chunks at the given offsets (one chunk when there are none). */
export function cutAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  return chunks;
}

/** Feeds SSE byte chunks, as the network would deliver them, through SseDecoder and the codec's stream decoder. */
export function decodeSseChunks(
  codec: Pick<GenerateContentCodec, 'createStreamDecoder'>,
  chunks: Iterable<Uint8Array>,
  warnings = new TransformWarnings(),
): StreamEvent[] {
  const sse = new SseDecoder();
  const decoder = codec.createStreamDecoder({ warnings });
  const out: StreamEvent[] = [];
  for (const chunk of chunks) for (const event of sse.push(chunk)) out.push(...decoder.push(event));
  for (const event of sse.end()) out.push(...decoder.push(event));
  out.push(...decoder.end());
  return out;
}

/** Feeds SSE text, its bytes cut at `cuts`, through SseDecoder and the codec's stream decoder. */
export function decodeSseText(
  codec: Pick<GenerateContentCodec, 'createStreamDecoder'>,
  text: string,
  cuts: readonly number[] = [],
  warnings = new TransformWarnings(),
): StreamEvent[] {
  return decodeSseChunks(codec, cutAt(utf8.encode(text), cuts), warnings);
}

/** `decodeSseText` with fresh warnings, returned beside the events. */
export function decodeSseTextWarned(
  codec: Pick<GenerateContentCodec, 'createStreamDecoder'>,
  text: string,
  cuts: readonly number[] = [],
): { events: StreamEvent[]; warnings: TransformWarnings } {
  const warnings = new TransformWarnings();
  return { events: decodeSseText(codec, text, cuts, warnings), warnings };
}

/** What each `push` and the final `end` of the codec's stream encoder return for the events. */
export function encodeStreamPieces(
  codec: Pick<GenerateContentCodec, 'createStreamEncoder'>,
  events: readonly StreamEvent[],
  context: EncodeStreamContext,
): string[] {
  const encoder = codec.createStreamEncoder(context);
  const pieces = events.map((event) => encoder.push(event));
  pieces.push(encoder.end());
  return pieces;
}

/** The codec's stream encoder output for the events, as one text. */
export function encodeStreamText(
  codec: Pick<GenerateContentCodec, 'createStreamEncoder'>,
  events: readonly StreamEvent[],
  context: EncodeStreamContext,
): string {
  return encodeStreamPieces(codec, events, context).join('');
}

/** A response encode context with fixed test values; `sourceWire` is the client's wire. */
export function encodeResponseContext(
  fields: Partial<EncodeResponseContext> & Pick<EncodeResponseContext, 'sourceWire'>,
): EncodeResponseContext {
  return {
    model: 'client-model',
    requestId: 'req_1',
    nowSeconds: 0,
    ...fields,
    warnings: fields.warnings ?? new TransformWarnings(),
  };
}

/** A stream encode context with fixed test values: SSE, no usage chunk unless asked for. */
export function encodeStreamContext(
  fields: Partial<EncodeStreamContext> & Pick<EncodeStreamContext, 'sourceWire'>,
): EncodeStreamContext {
  return {
    format: 'sse',
    includeUsage: false,
    ...fields,
    ...encodeResponseContext(fields),
  };
}

/** Stream events with errors reduced to code and message (GatewayError instances are not plain data). */
export type ComparableEvent =
  Exclude<StreamEvent, { type: 'error' }> | { type: 'error'; code: string; message: string };

export function comparableEvents(events: readonly StreamEvent[]): ComparableEvent[] {
  return events.map((event) =>
    event.type === 'error' ? { type: 'error', code: event.error.code, message: event.error.message } : event,
  );
}

/** Warnings as `kind:field` strings, for compact assertions. */
export function warningFields(warnings: TransformWarnings): string[] {
  return warnings.list.map((w) => `${w.kind}:${w.field}`);
}

/** An empty canonical request (model `m`, no messages) with the given fields. */
export function canonicalRequest(fields: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'm', system: [], messages: [], tools: [], stream: false, ...fields };
}

/** Decodes a request body with the codec, returning the request and the warnings it gave. */
export function decodeRequestWith(
  codec: Pick<GenerateContentCodec, 'decodeRequest'>,
  body: unknown,
  path: DecodeRequestContext['path'] = {},
): { request: CanonicalRequest; warnings: TransformWarnings } {
  const warnings = new TransformWarnings();
  return { request: codec.decodeRequest(body, { warnings, path }), warnings };
}
