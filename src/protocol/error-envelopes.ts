/**
 * Gateway errors in each wire family's own error envelope, so an official SDK on the client side
 * parses them as it parses the provider's errors. Every envelope carries gproxy's stable code and the
 * request id in a field the family's SDKs ignore or expose, never in place of a field they read.
 */
import type { ErrorKind, GatewayError } from '../core/errors';
import { encodeSseEvent } from '../core/sse';
import type { ErrorFamily } from './operation';
import type { EncodedError } from './wire';

// OpenAI sends `invalid_request_error` for unknown models too; its SDK picks error classes by status.
const OPENAI_TYPE: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  // What OpenAI answers when the account's credit is used up.
  quota: 'insufficient_quota',
  overloaded: 'server_error',
  upstream: 'server_error',
  timeout: 'server_error',
  internal: 'server_error',
};

// The `type` values of Anthropic's documented error objects.
const CLAUDE_TYPE: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  // Anthropic's type for 402 (billing).
  quota: 'billing_error',
  overloaded: 'overloaded_error',
  upstream: 'api_error',
  timeout: 'timeout_error',
  internal: 'api_error',
};

// google.rpc.Code names, as Google APIs put them in `error.status`.
const GEMINI_STATUS: Record<ErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  too_large: 'INVALID_ARGUMENT',
  rate_limit: 'RESOURCE_EXHAUSTED',
  quota: 'RESOURCE_EXHAUSTED',
  overloaded: 'UNAVAILABLE',
  upstream: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  internal: 'INTERNAL',
};

function errorHeaders(error: GatewayError): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(Math.max(0, Math.ceil(error.retryAfterSeconds)));
  }
  return headers;
}

function encoded(error: GatewayError, body: unknown): EncodedError {
  return { status: error.status, body: JSON.stringify(body), headers: errorHeaders(error) };
}

export function openAiErrorBody(error: GatewayError, requestId: string) {
  return {
    error: {
      message: error.message,
      type: OPENAI_TYPE[error.kind],
      param: error.param ?? null,
      code: error.code,
    },
    request_id: requestId,
  };
}

export function claudeErrorBody(error: GatewayError, requestId: string) {
  return {
    type: 'error' as const,
    error: { type: CLAUDE_TYPE[error.kind], message: error.message, code: error.code },
    request_id: requestId,
  };
}

export function geminiErrorBody(error: GatewayError, requestId: string) {
  return {
    error: {
      code: error.status,
      message: error.message,
      status: GEMINI_STATUS[error.kind],
      // google.rpc.ErrorInfo and RequestInfo are where Google APIs put a machine code and the request id.
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: error.code.toUpperCase(),
          domain: 'gproxy',
          metadata: { code: error.code },
        },
        { '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId },
      ],
    },
  };
}

export function encodeOpenAiError(error: GatewayError, requestId: string): EncodedError {
  return encoded(error, openAiErrorBody(error, requestId));
}

export function encodeClaudeError(error: GatewayError, requestId: string): EncodedError {
  return encoded(error, claudeErrorBody(error, requestId));
}

export function encodeGeminiError(error: GatewayError, requestId: string): EncodedError {
  return encoded(error, geminiErrorBody(error, requestId));
}

/** For operations that have an error family but no generate-content wire (list-models, …). */
export const ERROR_ENCODERS: Record<ErrorFamily, (error: GatewayError, requestId: string) => EncodedError> = {
  openai: encodeOpenAiError,
  claude: encodeClaudeError,
  gemini: encodeGeminiError,
};

/** Chat Completions streams carry a mid-stream error as a plain data event with the error body. */
export function encodeOpenAiChatStreamError(error: GatewayError, requestId: string): string {
  return encodeSseEvent(JSON.stringify(openAiErrorBody(error, requestId)));
}

/** The Responses API's `error` stream event; gproxy does not track the stream's sequence numbers. */
export function encodeOpenAiResponsesStreamError(error: GatewayError, requestId: string): string {
  const event = {
    type: 'error',
    code: error.code,
    message: error.message,
    param: error.param ?? null,
    sequence_number: 0,
    request_id: requestId,
  };
  return encodeSseEvent(JSON.stringify(event), 'error');
}

export function encodeClaudeStreamError(error: GatewayError, requestId: string): string {
  return encodeSseEvent(JSON.stringify(claudeErrorBody(error, requestId)), 'error');
}

export function encodeGeminiStreamError(error: GatewayError, requestId: string): string {
  return encodeSseEvent(JSON.stringify(geminiErrorBody(error, requestId)));
}
