/**
 * The one place that turns errors into HTTP responses, in the client's own wire format, with a
 * stable error code and the request id.
 */
import { toGatewayError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { WireKind } from '../protocol/operation';
import { GENERATE_CONTENT_WIRES } from '../protocol/wires';

export const REQUEST_ID_HEADER = 'x-gproxy-request-id';

export function errorResponse(wire: WireKind, error: unknown, requestId: string, logger: Logger): Response {
  const failure = toGatewayError(error);
  if (failure.code === 'internal_error') {
    logger.error({ err: failure.cause ?? failure, requestId }, 'internal error');
  }
  const encoded = GENERATE_CONTENT_WIRES[wire].encodeError(failure, requestId);
  return new Response(encoded.body, {
    status: encoded.status,
    headers: { ...encoded.headers, [REQUEST_ID_HEADER]: requestId },
  });
}
