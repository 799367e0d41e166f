/**
 * An upstream's error answer, re-expressed for a client of another wire: the message is taken from
 * whichever envelope the upstream used, and the status class is kept (a 400 stays a client error, a
 * 429 a rate limit, a 5xx a server error). Upstream 401/403 mean gproxy's own credential failed, which
 * the client can do nothing about, so they become a 502.
 */
import { GatewayError, type ErrorCode } from '../../core/errors';

function messageOf(bodyText: string): string | undefined {
  try {
    const body = JSON.parse(bodyText) as unknown;
    const root = Array.isArray(body) ? (body[0] as unknown) : body;
    if (typeof root !== 'object' || root === null) return undefined;
    const error = (root as { error?: unknown }).error;
    if (typeof error === 'string') return error;
    if (typeof error === 'object' && error !== null) {
      const message = (error as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    }
    const message = (root as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

function codeFor(status: number): { code: ErrorCode; status: number } {
  if (status === 401 || status === 403) return { code: 'upstream_error', status: 502 };
  if (status === 404) return { code: 'not_found', status };
  if (status === 413) return { code: 'payload_too_large', status };
  if (status === 429) return { code: 'rate_limited', status };
  if (status === 529) return { code: 'overloaded', status: 503 };
  if (status === 504) return { code: 'upstream_timeout', status };
  if (status >= 400 && status < 500) return { code: 'invalid_request', status };
  return { code: 'upstream_error', status: status >= 500 && status < 600 ? status : 502 };
}

export function upstreamErrorFromBody(
  status: number,
  bodyText: string,
  retryAfterSeconds: number | undefined,
): GatewayError {
  const mapped = codeFor(status);
  const detail = messageOf(bodyText) ?? (bodyText.slice(0, 500) || `HTTP ${status}`);
  return new GatewayError(mapped.code, `Upstream error (${status}): ${detail}`, {
    status: mapped.status,
    retryAfterSeconds,
  });
}
