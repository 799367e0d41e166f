/**
 * Handles one gateway request: admit (in-flight limit) -> classify (route + body peek) ->
 * authenticate -> pipeline -> response. Every failure leaves through errorResponse in the wire the
 * client spoke.
 */
import type { Context } from 'hono';
import type { Clock } from '../core/clock';
import { GatewayError } from '../core/errors';
import { newRequestId } from '../core/ids';
import { tryParseJson } from '../core/json';
import type { Logger } from '../core/logger';
import { extractUserKey } from '../pipeline/authenticate';
import type { GenerateContentPipeline } from '../pipeline/generate-content';
import { routeHeaderOf } from '../pipeline/route-header';
import { SESSION_HEADER } from '../pipeline/routing/affinity';
import { GENERATE_CONTENT_WIRES } from '../protocol/wires';
import { errorResponse, REQUEST_ID_HEADER } from './error-response';
import { overloaded, releasedWhenDone, type InFlightLimit } from './in-flight';
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
  inFlight: InFlightLimit;
}

/** Where the path puts the provider (scoped endpoints) and what the classifier reads. */
function splitPath(route: GatewayRoute, pathname: string): { provider?: string; tail: string } {
  // For wildcard routes the classifier gets the path after the fixed prefix.
  const prefixLength = route.basePath.endsWith('*') ? route.basePath.length - 1 : route.basePath.length;
  if (!route.scoped) return { tail: pathname.slice(prefixLength) };
  const slash = pathname.indexOf('/', 1);
  const segment = pathname.slice(1, slash);
  let provider: string;
  try {
    provider = decodeURIComponent(segment);
  } catch {
    provider = segment;
  }
  return { provider, tail: pathname.slice(slash + prefixLength) };
}

export function gatewayHandler(route: GatewayRoute, deps: GatewayHandlerDeps) {
  return async (c: Context): Promise<Response> => {
    const receivedAt = deps.clock.now();
    const requestId = newRequestId(receivedAt);
    const url = requestTarget(c.req.url);
    const { provider, tail } = splitPath(route, url.pathname);
    const classified = route.classify(tail, url.query);
    if (classified === undefined) {
      const notFound = new GatewayError('not_found', `No such endpoint: ${c.req.method} ${url.pathname}`);
      return errorResponse(wireForUnmatchedPath(url.pathname), notFound, requestId, deps.logger);
    }
    const wire = classified.operation.wire;
    // Shed before reading anything: past the limit, queueing would only add latency and memory.
    const release = deps.inFlight.enter();
    if (release === null) {
      return errorResponse(wire, overloaded(deps.inFlight.max), requestId, deps.logger);
    }
    try {
      const headers = deps.io.readHeaders(c.req.raw, c.env);
      const sessionId = headers[SESSION_HEADER];
      // gproxy's own header: it selects affinity and is never forwarded upstream.
      if (sessionId !== undefined) delete headers[SESSION_HEADER];
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
          sessionId,
          scopeProvider: provider,
          presentedKey,
          signal: deps.io.clientSignal(c.req.raw, c.env),
        },
        identity,
      );
      answer.headers[REQUEST_ID_HEADER] = requestId;
      answer.body = releasedWhenDone(answer.body, release);
      return deps.io.sendAnswer?.(c.env, answer) ?? toResponse(answer);
    } catch (error) {
      release();
      return errorResponse(wire, error, requestId, deps.logger, routeHeaderOf(error));
    }
  };
}
