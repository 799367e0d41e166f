/**
 * What every wire kind provides for generate-content. `protocol/wires/index.ts` holds one entry per
 * wire kind, so adding a wire kind makes the compiler list what is still missing.
 */
import type { GatewayError } from '../core/errors';
import type { WireKind } from './operation';
import type { Usage } from './usage';

/** Facts the HTTP route carries that the body does not (Gemini puts the model and stream in the path). */
export interface RequestPathFacts {
  model?: string;
  stream?: boolean;
}

export interface GenerateContentRequestFacts {
  model: string;
  stream: boolean;
}

/** Reads usage from a stream as its bytes pass by, without holding the whole answer. */
export interface StreamUsageReader {
  push(chunk: Uint8Array): void;
  /** Usage reported by the upstream, or undefined when it reported none. */
  finish(): Usage | undefined;
}

export interface EncodedError {
  status: number;
  /** JSON text of the error envelope. */
  body: string;
  headers: Record<string, string>;
}

export interface GenerateContentWire {
  readonly wire: WireKind;
  /** Validates the minimum the gateway needs; throws GatewayError('invalid_request', param) otherwise. */
  readRequest(body: unknown, path: RequestPathFacts): GenerateContentRequestFacts;
  usageFromResponse(json: unknown): Usage | undefined;
  /**
   * usageFromResponse for an answer still in text form: only the usage field is parsed, so a
   * passed-through answer need not be parsed whole. Undefined when the text is not a JSON object.
   */
  usageFromResponseText(text: string): Usage | undefined;
  /** `sse` is false for Gemini's streamed JSON array (no `alt=sse`). */
  createStreamUsageReader(format: 'sse' | 'json-array'): StreamUsageReader;
  /** Encodes a gateway error in this wire's error envelope. */
  encodeError(error: GatewayError, requestId: string): EncodedError;
  /** An error event to end an already-started stream with, in this wire's form. */
  encodeStreamError(error: GatewayError, requestId: string): string;
}
