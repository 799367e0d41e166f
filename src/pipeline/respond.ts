/**
 * Turns the answering exchange into the client's response: passed through as received, or
 * converted back into the client's wire; whole or streamed. Reports how it ended exactly once.
 */
import type { Outcome, ResponseHeaders } from '../channel/contract';
import type { Clock } from '../core/clock';
import { GatewayError } from '../core/errors';
import type { EndState } from '../control-plane/usage-record';
import type { TransformWarning } from '../protocol/canonical/warnings';
import type { Usage } from '../protocol/usage';
import { GENERATE_CONTENT_WIRES } from '../protocol/wires';
import { collectBody } from './collect-body';
import { convertStream } from './convert/convert-stream';
import type { Conversion } from './convert/request-conversion';
import { upstreamErrorFromBody } from './convert/upstream-error';
import type { Exchange } from './exchange';
import type { GatewayRequest, GatewayResponse } from './gateway-request';
import { relayStream, type StreamEnd } from './relay-stream';

export interface RespondEnd {
  /** Transform warnings of a converted exchange, for the request's log record. */
  warnings?: readonly TransformWarning[];
  status: number;
  endState: EndState;
  errorCode: string | null;
  usage: Usage | undefined;
  firstByteAt: number | null;
}

export interface RespondContext {
  request: GatewayRequest;
  exchange: Exchange;
  outcome: Outcome;
  headers: Record<string, string>;
  clock: Clock;
  maxResponseBytes: number;
  abortUpstream: () => void;
  clientGone: () => boolean;
  /** Called once when the answer is complete (after the last byte for streams). */
  onEnd: (end: RespondEnd) => void;
}

const decoder = new TextDecoder();

export async function respond(context: RespondContext): Promise<GatewayResponse> {
  const { request, exchange, outcome, headers } = context;
  const { upstream, conversion } = exchange;
  const status = upstream.status;

  if (outcome.kind !== 'success') {
    const body = await collectBody(upstream.body, context.maxResponseBytes);
    if (conversion === null) {
      context.onEnd({
        status,
        endState: 'upstream-error',
        errorCode: 'upstream_error',
        usage: undefined,
        firstByteAt: null,
      });
      return { status, headers, body };
    }
    // The upstream's error is in its own wire: re-express it in the client's.
    const retryAfter =
      outcome.kind === 'rate-limited' && outcome.retryAfterMs !== undefined
        ? outcome.retryAfterMs / 1000
        : undefined;
    const failure = upstreamErrorFromBody(status, decoder.decode(body), retryAfter);
    context.onEnd({
      status: failure.status,
      endState: 'upstream-error',
      errorCode: failure.code,
      usage: undefined,
      firstByteAt: null,
      warnings: conversion.warnings.list,
    });
    throw failure;
  }

  if (!request.stream) {
    const body = await collectBody(upstream.body, context.maxResponseBytes);
    const answer =
      conversion === null ? passthroughWhole(request, body) : convertWhole(context, conversion, body);
    setWarnings(headers, conversion);
    context.onEnd({
      status,
      endState: 'complete',
      errorCode: null,
      usage: answer.usage,
      firstByteAt: null,
      warnings: conversion?.warnings.list,
    });
    return { status, headers, body: answer.body };
  }

  const onStreamEnd = (end: StreamEnd): void =>
    context.onEnd({
      status,
      endState: end.endState,
      errorCode: end.error?.code ?? null,
      usage: end.usage,
      firstByteAt: end.firstByteAt,
      warnings: conversion?.warnings.list,
    });

  if (conversion === null) {
    const body = relayStream({
      body: upstream.body,
      wire: GENERATE_CONTENT_WIRES[request.operation.wire],
      format: request.streamFormat,
      requestId: request.requestId,
      clock: context.clock,
      abortUpstream: context.abortUpstream,
      clientGone: context.clientGone,
      onEnd: onStreamEnd,
    });
    return { status, headers, body };
  }

  setWarnings(headers, conversion);
  headers['content-type'] = streamContentType(request);
  const body = convertStream({
    body: upstream.body,
    conversion,
    encodeContext: {
      warnings: conversion.warnings,
      model: request.model,
      requestId: request.requestId,
      sourceWire: conversion.upstream.wire,
      nowSeconds: Math.floor(context.clock.now() / 1000),
      format: request.streamFormat,
      includeUsage: conversion.canonical.streamIncludeUsage === true,
    },
    clock: context.clock,
    abortUpstream: context.abortUpstream,
    clientGone: context.clientGone,
    onEnd: onStreamEnd,
  });
  return { status, headers, body };
}

function passthroughWhole(
  request: GatewayRequest,
  body: Uint8Array,
): { body: Uint8Array; usage: Usage | undefined } {
  let usage: Usage | undefined;
  try {
    usage = GENERATE_CONTENT_WIRES[request.operation.wire].usageFromResponse(
      JSON.parse(decoder.decode(body)),
    );
  } catch {
    usage = undefined;
  }
  return { body, usage };
}

function convertWhole(
  context: RespondContext,
  conversion: Conversion,
  body: Uint8Array,
): { body: string; usage: Usage | undefined } {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch {
    throw new GatewayError('upstream_bad_response', 'The upstream answered with a body that is not JSON.');
  }
  const canonical = conversion.upstream.decodeResponse(json, { warnings: conversion.warnings });
  const encoded = conversion.client.encodeResponse(canonical, {
    warnings: conversion.warnings,
    model: context.request.model,
    requestId: context.request.requestId,
    sourceWire: conversion.upstream.wire,
    nowSeconds: Math.floor(context.clock.now() / 1000),
  });
  context.headers['content-type'] = 'application/json';
  return { body: JSON.stringify(encoded), usage: canonical.usage };
}

function streamContentType(request: GatewayRequest): string {
  return request.streamFormat === 'json-array' ? 'application/json' : 'text/event-stream';
}

function setWarnings(headers: Record<string, string>, conversion: Conversion | null): void {
  const value = conversion?.warnings.toHeader();
  if (value !== undefined) headers['x-gproxy-warnings'] = value;
}

export function contentTypeOf(headers: ResponseHeaders): string {
  const value = headers['content-type'];
  return typeof value === 'string' ? value : 'application/json';
}
