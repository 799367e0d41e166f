import { APIError, NotFoundError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors';
import { SseDecoder } from '../core/sse';
import type { SseEvent } from '../core/sse';
import { ERROR_ENCODERS } from './error-envelopes';
import { WIRE_KINDS, errorFamilyOf } from './operation';
import { GENERATE_CONTENT_WIRES } from './wires/index';

const notFound = new GatewayError('model_not_found', "The model 'nope' does not exist", { param: 'model' });
const limited = new GatewayError('rate_limited', 'Slow down', { retryAfterSeconds: 2.5 });
const REQ = 'req_test123';

function decodeSse(text: string): SseEvent[] {
  const decoder = new SseDecoder();
  return [...decoder.push(new TextEncoder().encode(text)), ...decoder.end()];
}

describe('error envelopes', () => {
  it('OpenAI family: an SDK-parsable error with the stable code and param', () => {
    for (const wire of ['openai-chat', 'openai-responses'] as const) {
      const encoded = GENERATE_CONTENT_WIRES[wire].encodeError(notFound, REQ);
      expect(encoded.status).toBe(404);
      expect(encoded.headers).toEqual({ 'content-type': 'application/json' });
      expect(JSON.parse(encoded.body)).toEqual({
        error: {
          message: "The model 'nope' does not exist",
          type: 'invalid_request_error',
          param: 'model',
          code: 'model_not_found',
        },
        request_id: REQ,
      });
      const sdkError = APIError.generate(404, JSON.parse(encoded.body) as object, undefined, new Headers());
      expect(sdkError).toBeInstanceOf(NotFoundError);
      expect(sdkError.code).toBe('model_not_found');
      expect(sdkError.param).toBe('model');
      expect(sdkError.message).toBe("404 The model 'nope' does not exist");
    }
  });

  it('OpenAI family: rate limits carry retry-after (rounded up) and type rate_limit_error', () => {
    const encoded = GENERATE_CONTENT_WIRES['openai-chat'].encodeError(limited, REQ);
    expect(encoded.status).toBe(429);
    expect(encoded.headers).toEqual({ 'content-type': 'application/json', 'retry-after': '3' });
    const body = JSON.parse(encoded.body);
    expect(body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited', param: null });
    expect(APIError.generate(429, body as object, undefined, new Headers())).toBeInstanceOf(RateLimitError);
  });

  it('Claude family: type "error", documented error types, request_id', () => {
    const encoded = GENERATE_CONTENT_WIRES.claude.encodeError(notFound, REQ);
    expect(encoded.status).toBe(404);
    expect(JSON.parse(encoded.body)).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: "The model 'nope' does not exist", code: 'model_not_found' },
      request_id: REQ,
    });
    const cases: Array<[GatewayError, string]> = [
      [new GatewayError('invalid_json', 'x'), 'invalid_request_error'],
      [new GatewayError('unauthenticated', 'x'), 'authentication_error'],
      [new GatewayError('permission_denied', 'x'), 'permission_error'],
      [new GatewayError('payload_too_large', 'x'), 'request_too_large'],
      [limited, 'rate_limit_error'],
      [new GatewayError('overloaded', 'x'), 'overloaded_error'],
      [new GatewayError('upstream_timeout', 'x'), 'timeout_error'],
      [new GatewayError('upstream_error', 'x'), 'api_error'],
      [new GatewayError('internal_error', 'x'), 'api_error'],
    ];
    for (const [error, type] of cases) {
      expect(JSON.parse(GENERATE_CONTENT_WIRES.claude.encodeError(error, REQ).body).error.type).toBe(type);
    }
  });

  it('Gemini family: code is the HTTP status, status the google.rpc code, details carry code and request id', () => {
    const encoded = GENERATE_CONTENT_WIRES.gemini.encodeError(limited, REQ);
    expect(encoded.status).toBe(429);
    expect(encoded.headers['retry-after']).toBe('3');
    const body = JSON.parse(encoded.body);
    expect(body.error).toMatchObject({ code: 429, message: 'Slow down', status: 'RESOURCE_EXHAUSTED' });
    expect(body.error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMITED',
        domain: 'gproxy',
        metadata: { code: 'rate_limited' },
      },
      { '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId: REQ },
    ]);
    const statuses: Array<[GatewayError, string]> = [
      [new GatewayError('invalid_request', 'x'), 'INVALID_ARGUMENT'],
      [new GatewayError('unauthenticated', 'x'), 'UNAUTHENTICATED'],
      [new GatewayError('permission_denied', 'x'), 'PERMISSION_DENIED'],
      [notFound, 'NOT_FOUND'],
      [new GatewayError('no_available_candidate', 'x'), 'UNAVAILABLE'],
      [new GatewayError('upstream_timeout', 'x'), 'DEADLINE_EXCEEDED'],
      [new GatewayError('internal_error', 'x'), 'INTERNAL'],
    ];
    for (const [error, status] of statuses) {
      expect(JSON.parse(GENERATE_CONTENT_WIRES.gemini.encodeError(error, REQ).body).error.status).toBe(
        status,
      );
    }
  });

  it('every wire encodes errors like its family encoder', () => {
    for (const wire of WIRE_KINDS) {
      expect(GENERATE_CONTENT_WIRES[wire].encodeError(notFound, REQ)).toEqual(
        ERROR_ENCODERS[errorFamilyOf(wire)](notFound, REQ),
      );
    }
  });
});

describe('stream error events', () => {
  it('openai-chat: a data event whose JSON has an error object, as the SDK checks', () => {
    const events = decodeSse(GENERATE_CONTENT_WIRES['openai-chat'].encodeStreamError(notFound, REQ));
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toBeUndefined();
    expect(JSON.parse(events[0]!.data).error).toMatchObject({
      message: notFound.message,
      code: 'model_not_found',
    });
  });

  it('openai-responses: an `error` event with type, code, message, param and sequence_number', () => {
    const events = decodeSse(GENERATE_CONTENT_WIRES['openai-responses'].encodeStreamError(notFound, REQ));
    expect(events[0]?.event).toBe('error');
    expect(JSON.parse(events[0]!.data)).toEqual({
      type: 'error',
      code: 'model_not_found',
      message: notFound.message,
      param: 'model',
      sequence_number: 0,
      request_id: REQ,
    });
  });

  it('claude: an `error` event with the Claude error body', () => {
    const events = decodeSse(GENERATE_CONTENT_WIRES.claude.encodeStreamError(limited, REQ));
    expect(events[0]?.event).toBe('error');
    expect(JSON.parse(events[0]!.data)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('gemini: a data event with the Gemini error body', () => {
    const events = decodeSse(GENERATE_CONTENT_WIRES.gemini.encodeStreamError(limited, REQ));
    expect(JSON.parse(events[0]!.data).error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
  });
});
