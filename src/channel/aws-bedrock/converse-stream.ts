/**
 * Bedrock's ConverseStream answer as SSE: one event per event-stream frame, named after the frame's
 * `:event-type` (`messageStart` … `metadata`) or `:exception-type` (`throttlingException` …), with
 * the frame's JSON payload as data. That is the `bedrock-converse` wire's stream form, which the
 * Converse codec decodes (protocol/wires/bedrock-converse). An exception ends the stream; a protocol
 * `error` frame becomes an `internalServerException`. Broken framing throws upstream_bad_response.
 */
import { GatewayError } from '../../core/errors';
import { tryParseJson } from '../../core/json';
import { encodeSseEvent } from '../../core/sse';
import { stringHeader, type EventStreamMessage } from './event-stream';
import { sseFromEventStream } from './event-stream-to-sse';

const utf8Decoder = new TextDecoder('utf-8');

/** The payload as one line of JSON (SSE data must not break lines the decoder would rejoin differently). */
function payloadJson(message: EventStreamMessage, type: string): string {
  const parsed = tryParseJson(utf8Decoder.decode(message.payload));
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
    throw new GatewayError('upstream_bad_response', `Bedrock ${type} event is not a JSON object`);
  }
  return JSON.stringify(parsed.value);
}

/** The SSE text for one frame, and whether the stream ends with it. */
function frameToSse(message: EventStreamMessage): { sse: string; end: boolean } {
  switch (stringHeader(message, ':message-type') ?? 'event') {
    case 'event': {
      const type = stringHeader(message, ':event-type');
      if (type === undefined || type === '') return { sse: '', end: false };
      return { sse: encodeSseEvent(payloadJson(message, type), type), end: false };
    }
    case 'exception': {
      const type = stringHeader(message, ':exception-type') ?? 'unknownException';
      const parsed = tryParseJson(utf8Decoder.decode(message.payload));
      const data = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? parsed.value : {};
      return { sse: encodeSseEvent(JSON.stringify(data), type), end: true };
    }
    case 'error': {
      const code = stringHeader(message, ':error-code') ?? 'UnknownError';
      const detail = stringHeader(message, ':error-message') ?? 'no message';
      const data = JSON.stringify({ message: `${code}: ${detail}` });
      return { sse: encodeSseEvent(data, 'internalServerException'), end: true };
    }
    default:
      return { sse: '', end: false };
  }
}

export function converseSseFromEventStream(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  return sseFromEventStream(body, frameToSse);
}
