/**
 * Handles one gateway request: classify (route + body peek) -> authenticate -> pipeline -> response.
 * Every failure leaves through errorResponse in the wire the client spoke.
 */
import type { Context } from 'hono';
import type { Clock } from '../core/clock';
import { GatewayError } from '../core/errors';
import { newRequestId } from '../core/ids';
import { tryParseJson } from '../core/json';
import type { Logger } from '../core/logger';
import { extractUserKey } from '../pipeline/authenticate';
import type { GenerateContentPipeline } from '../pipeline/generate-content';
import { GENERATE_CONTENT_WIRES } from '../protocol/wires';
import { errorResponse, REQUEST_ID_HEADER } from './error-response';
import type { RequestIo } from './request-io';
import { requestTarget } from './request-url';
import { wireForUnmatchedPath, type GatewayRoute } from './route-table';
import { toResponse } from './to-response';

export interface GatewayHandlerDeps {
  pipeline: GenerateContentPipeline;
  clock: Clock;
  logger: Logger;
  io: RequestIo;
  maxBodyBytes: number;
}

export function gatewayHandler(route: GatewayRoute, deps: GatewayHandlerDeps) {
  // For wildcard routes the classifier gets the path after the fixed prefix.
  const prefixLength = route.path.endsWith('*') ? route.path.length - 1 : route.path.length;
  return async (c: Context): Promise<Response> => {
    const receivedAt = deps.clock.now();
    const requestId = newRequestId(receivedAt);
    const url = requestTarget(c.req.url);
    const classified = route.classify(url.pathname.slice(prefixLength), url.query);
    if (classified === undefined) {
      const notFound = new GatewayError('not_found', `No such endpoint: ${c.req.method} ${url.pathname}`);
      return errorResponse(wireForUnmatchedPath(url.pathname), notFound, requestId, deps.logger);
    }
    const wire = classified.operation.wire;
    try {
      const headers = deps.io.readHeaders(c.req.raw, c.env);
      const presentedKey = extractUserKey(headers, url.query.get('key'));
      const identity = await deps.pipeline.authenticate(presentedKey);

      const bodyText = await deps.io.readBody(c.req.raw, c.env, deps.maxBodyBytes);
      const parsed = tryParseJson(bodyText);
      if (!parsed.ok)
        throw new GatewayError('invalid_json', `Request body is not valid JSON: ${parsed.error}`);
      const facts = GENERATE_CONTENT_WIRES[wire].readRequest(parsed.value, {
        model: classified.pathModel,
        stream: classified.pathStream,
      });

      const answer = await deps.pipeline.handle(
        {
          requestId,
          receivedAt,
          operation: classified.operation,
          stream: facts.stream,
          streamFormat: classified.streamFormat,
          model: facts.model,
          modelInPath: classified.pathModel !== undefined,
          bodyText,
          body: parsed.value,
          headers,
          presentedKey,
          signal: deps.io.clientSignal(c.req.raw, c.env),
        },
        identity,
      );
      answer.headers[REQUEST_ID_HEADER] = requestId;
      return deps.io.sendAnswer?.(c.env, answer) ?? toResponse(answer);
    } catch (error) {
      return errorResponse(wire, error, requestId, deps.logger);
    }
  };
}
