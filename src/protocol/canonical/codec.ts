/**
 * What a wire kind implements to take part in conversion: decode and encode of requests, responses
 * and stream events, to and from the canonical model. Same-wire traffic never goes through a codec
 * (passthrough); a converted request goes client wire -> canonical -> upstream wire, and its answer
 * upstream wire -> canonical -> client wire.
 */
import type { SseEvent } from '../../core/sse';
import type { UpstreamWireKind } from '../operation';
import type { RequestPathFacts } from '../wire';
import type { CanonicalRequest } from './request';
import type { CanonicalResponse } from './response';
import type { StreamEvent } from './stream-events';
import type { TransformWarnings } from './warnings';

export interface DecodeRequestContext {
  warnings: TransformWarnings;
  /** Model and stream flag from the URL (Gemini). */
  path: RequestPathFacts;
}

export interface EncodeRequestContext {
  warnings: TransformWarnings;
  /** The upstream model id (goes in the body, or in the URL for Gemini via the channel). */
  upstreamModel: string;
}

export interface DecodeResponseContext {
  warnings: TransformWarnings;
}

export interface EncodeResponseContext {
  warnings: TransformWarnings;
  /** The model name to show the client: the one it asked for. */
  model: string;
  /** The gateway request id, for ids the encoder has to make up. */
  requestId: string;
  /** The upstream wire the answer came from: opaque state of another wire gets sealed (canonical/opaque.ts). */
  sourceWire: UpstreamWireKind;
  /** Seconds since the epoch, for `created` fields when the upstream gave none. */
  nowSeconds: number;
}

export interface EncodeStreamContext extends EncodeResponseContext {
  /** Gemini clients without `alt=sse` get a streamed JSON array; every other stream is SSE. */
  format: 'sse' | 'json-array';
  /** OpenAI Chat `stream_options.include_usage`: emit the final usage chunk. */
  includeUsage: boolean;
}

/** Turns one wire's upstream SSE events into canonical stream events, keeping per-stream state. */
export interface StreamDecoder {
  push(event: SseEvent): StreamEvent[];
  /** The upstream stream ended; returns closing events (a `finish` if none came, or an `error` for a cut stream). */
  end(): StreamEvent[];
}

/** Turns canonical stream events into one wire's stream text (SSE events, or JSON array pieces). */
export interface StreamEncoder {
  push(event: StreamEvent): string;
  /** Closes the stream in the wire's form (e.g. `data: [DONE]`, `]`). Safe to call once, after the last event. */
  end(): string;
}

export interface GenerateContentCodec {
  readonly wire: UpstreamWireKind;
  /** Lenient: unknown fields are ignored (or warned about), never a crash; missing required fields throw GatewayError('invalid_request'). */
  decodeRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest;
  /**
   * The JSON body for an upstream of this wire. Streaming upstream requests ask for usage
   * (e.g. `stream_options.include_usage`); OpenAI Responses requests are stateless
   * (`store: false`; `include: ["reasoning.encrypted_content"]` when reasoning is on or continued).
   */
  encodeRequest(request: CanonicalRequest, context: EncodeRequestContext): Record<string, unknown>;
  decodeResponse(body: unknown, context: DecodeResponseContext): CanonicalResponse;
  encodeResponse(response: CanonicalResponse, context: EncodeResponseContext): Record<string, unknown>;
  createStreamDecoder(context: DecodeResponseContext): StreamDecoder;
  createStreamEncoder(context: EncodeStreamContext): StreamEncoder;
}
