/**
 * Errors with a stable code, an HTTP status, whether a retry elsewhere may succeed, and their cause.
 * Every layer throws GatewayError; one place (http/error-response.ts) turns it into a response
 * in the client's own wire format.
 */

export type ErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'unauthenticated'
  | 'permission_denied'
  | 'unpriced_model'
  | 'model_not_found'
  | 'not_found'
  | 'conflict'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_operation'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'overloaded'
  | 'no_available_candidate'
  | 'cache_unavailable'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'upstream_bad_response'
  | 'internal_error';

/** The broad class of an error, which each wire maps onto its own error `type`. */
export type ErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'too_large'
  | 'rate_limit'
  | 'quota'
  | 'overloaded'
  | 'upstream'
  | 'timeout'
  | 'internal';

const KIND_OF: Record<ErrorCode, ErrorKind> = {
  invalid_json: 'invalid_request',
  invalid_request: 'invalid_request',
  unauthenticated: 'authentication',
  permission_denied: 'permission',
  unpriced_model: 'permission',
  model_not_found: 'not_found',
  not_found: 'not_found',
  conflict: 'invalid_request',
  method_not_allowed: 'invalid_request',
  payload_too_large: 'too_large',
  unsupported_operation: 'invalid_request',
  rate_limited: 'rate_limit',
  quota_exceeded: 'quota',
  overloaded: 'overloaded',
  no_available_candidate: 'overloaded',
  cache_unavailable: 'overloaded',
  upstream_unreachable: 'upstream',
  upstream_timeout: 'timeout',
  upstream_error: 'upstream',
  upstream_bad_response: 'upstream',
  internal_error: 'internal',
};

const DEFAULT_STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_request: 400,
  unauthenticated: 401,
  permission_denied: 403,
  unpriced_model: 403,
  model_not_found: 404,
  not_found: 404,
  conflict: 409,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_operation: 400,
  rate_limited: 429,
  quota_exceeded: 402,
  overloaded: 503,
  no_available_candidate: 503,
  cache_unavailable: 503,
  upstream_unreachable: 502,
  upstream_timeout: 504,
  upstream_error: 502,
  upstream_bad_response: 502,
  internal_error: 500,
};

export interface GatewayErrorOptions {
  status?: number;
  retryable?: boolean;
  cause?: unknown;
  /** The request field the error is about, e.g. `model`. */
  param?: string;
  /** Seconds the client should wait before retrying (429/503). */
  retryAfterSeconds?: number;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly param: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? DEFAULT_STATUS[code];
    this.retryable = options.retryable ?? false;
    this.param = options.param;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get kind(): ErrorKind {
    return KIND_OF[this.code];
  }
}

/** Wraps anything thrown into a GatewayError; unknown errors become a 500 that hides internals. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'Internal gateway error', { cause: error });
}
