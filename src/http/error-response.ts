/**
 * The one place that turns errors into HTTP responses, in the client's own wire format, with a
 * stable error code and the request id (and, once routing decided anything, `x-gproxy-route`).
 */
import { toGatewayError } from '../core/errors';
import type { Logger } from '../core/logger';
import { ROUTE_HEADER } from '../pipeline/route-header';
import type { WireKind } from '../protocol/operation';
import { GENERATE_CONTENT_WIRES } from '../protocol/wires';

export const REQUEST_ID_HEADER = 'x-gproxy-request-id';

export function errorResponse(
  wire: WireKind,
  error: unknown,
  requestId: string,
  logger: Logger,
  routeHeader?: string,
): Response {
  const failure = toGatewayError(error);
  if (failure.code === 'internal_error') {
    logger.error({ err: failure.cause ?? failure, requestId }, 'internal error');
  }
  const encoded = GENERATE_CONTENT_WIRES[wire].encodeError(failure, requestId);
  const headers: Record<string, string> = { ...encoded.headers, [REQUEST_ID_HEADER]: requestId };
  if (routeHeader !== undefined) headers[ROUTE_HEADER] = routeHeader;
  return new Response(encoded.body, { status: encoded.status, headers });
}
