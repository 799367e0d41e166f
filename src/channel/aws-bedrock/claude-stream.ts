/**
 * Bedrock's InvokeModelWithResponseStream answer turned back into the Claude SSE stream it carries,
 * so the rest of the pipeline (usage reader, relay, codecs) sees an ordinary Claude stream.
 *
 * Each `chunk` event of the AWS event stream holds `{"bytes": "<base64 of one Claude stream event>"}`.
 * An `exception` (or protocol `error`) frame ends the stream with a Claude `event: error`, as the
 * Anthropic API ends a stream that fails after it started. Broken framing (CRC mismatch, a frame cut
 * short, undecodable chunks) throws GatewayError('upstream_bad_response') instead.
 */
import { GatewayError } from '../../core/errors';
import { tryParseJson } from '../../core/json';
import { encodeSseEvent } from '../../core/sse';
import { stringHeader, type EventStreamMessage } from './event-stream';
import { sseFromEventStream } from './event-stream-to-sse';

const utf8Decoder = new TextDecoder('utf-8');

/** Bedrock's stream exceptions (the ResponseStream members) as Claude error types. */
const CLAUDE_ERROR_TYPE: Readonly<Record<string, string>> = {
  throttlingException: 'rate_limit_error',
  serviceQuotaExceededException: 'rate_limit_error',
  serviceUnavailableException: 'overloaded_error',
  modelNotReadyException: 'overloaded_error',
  modelTimeoutException: 'timeout_error',
  validationException: 'invalid_request_error',
  accessDeniedException: 'permission_error',
  resourceNotFoundException: 'not_found_error',
  internalServerException: 'api_error',
  modelStreamErrorException: 'api_error',
};

function badChunk(detail: string): GatewayError {
  return new GatewayError('upstream_bad_response', `Bedrock stream chunk ${detail}`);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function decodeBase64(text: string): string {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw badChunk('is not valid base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8Decoder.decode(bytes);
}

/** One `chunk` event as the Claude SSE event it wraps; the event JSON is relayed as sent. */
function chunkToSse(message: EventStreamMessage): string {
  const wrapper = tryParseJson(utf8Decoder.decode(message.payload));
  const bytes = wrapper.ok ? asRecord(wrapper.value)?.['bytes'] : undefined;
  if (typeof bytes !== 'string') throw badChunk('has no "bytes"');
  const eventJson = decodeBase64(bytes);
  const event = tryParseJson(eventJson);
  const type = event.ok ? asRecord(event.value)?.['type'] : undefined;
  if (typeof type !== 'string' || type === '') throw badChunk('does not hold a Claude stream event');
  return encodeSseEvent(eventJson, type);
}

export function claudeErrorSse(errorType: string, message: string): string {
  return encodeSseEvent(JSON.stringify({ type: 'error', error: { type: errorType, message } }), 'error');
}

function exceptionToSse(message: EventStreamMessage): string {
  const name = stringHeader(message, ':exception-type') ?? 'unknownException';
  const payload = tryParseJson(utf8Decoder.decode(message.payload));
  const record = payload.ok ? asRecord(payload.value) : undefined;
  const detail = record?.['message'] ?? record?.['Message'];
  const text = typeof detail === 'string' && detail !== '' ? detail : 'no message';
  return claudeErrorSse(CLAUDE_ERROR_TYPE[name] ?? 'api_error', `Bedrock ${name}: ${text}`);
}

function protocolErrorToSse(message: EventStreamMessage): string {
  const code = stringHeader(message, ':error-code') ?? 'UnknownError';
  const detail = stringHeader(message, ':error-message') ?? 'no message';
  return claudeErrorSse('api_error', `Bedrock ${code}: ${detail}`);
}

/** The Claude SSE text for one frame, and whether the stream ends with it. */
function frameToSse(message: EventStreamMessage): { sse: string; end: boolean } {
  switch (stringHeader(message, ':message-type') ?? 'event') {
    case 'event':
      // Only `chunk` carries model output; any other event type is not ours to relay.
      return { sse: stringHeader(message, ':event-type') === 'chunk' ? chunkToSse(message) : '', end: false };
    case 'exception':
      return { sse: exceptionToSse(message), end: true };
    case 'error':
      return { sse: protocolErrorToSse(message), end: true };
    default:
      return { sse: '', end: false };
  }
}

export function claudeSseFromEventStream(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  return sseFromEventStream(body, frameToSse);
}
