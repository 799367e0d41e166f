/**
 * Turns the answering exchange into the client's response: passed through as received, or
 * converted back into the client's wire; whole, streamed, folded or synthesized. Reports how it
 * ended exactly once.
 */
import type { Outcome, ResponseHeaders } from '../channel/contract';
import type { Clock } from '../core/clock';
import { scrubSecrets } from '../core/redact';
import type { CredentialRecord } from '../control-plane/model';
import type { EndState } from '../control-plane/usage-record';
import type { EncodeStreamContext } from '../protocol/canonical/codec';
import type { TransformWarning } from '../protocol/canonical/warnings';
import { applyHeaderRules } from '../process/apply-rules';
import type { Usage } from '../protocol/usage';
import { GENERATE_CONTENT_WIRES } from '../protocol/wires';
import { collectBody } from './collect-body';
import { canonicalAnswer, encodeSynthetic, encodeWhole } from './convert/convert-whole';
import { convertStream } from './convert/convert-stream';
import type { Conversion } from './convert/request-conversion';
import { upstreamErrorFromBody } from './convert/upstream-error';
import type { Exchange } from './exchange';
import type { GatewayRequest, GatewayResponse } from './gateway-request';
import { ProducedTextCounter } from './local-count';
import { relayStream, type StreamEnd } from './relay-stream';
import { stripStreamUsage } from './stream-usage-option';

export interface RespondEnd {
  status: number;
  endState: EndState;
  errorCode: string | null;
  usage: Usage | undefined;
  firstByteAt: number | null;
  /** Transform warnings of a converted exchange, for the request's log record. */
  warnings?: readonly TransformWarning[];
  /**
   * Set when the upstream accepted the request and answered: UTF-8 bytes of the text it produced,
   * so settlement can count usage locally when the upstream reported none (local-count.ts).
   */
  producedBytes?: number;
  /** The upstream's own error body, as received, when it answered with an error (request log). */
  upstreamErrorBody?: Uint8Array;
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

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

export function respond(context: RespondContext): Promise<GatewayResponse> {
  const rules = context.exchange.rules;
  if (rules == null || rules.responseHeaders.length === 0) return answerOf(context);
  // Last, so rules see (and may replace) the headers gproxy set; gproxy's own error answers
  // (converted upstream errors included) never reach here.
  return answerOf(context).then((answer) => {
    applyHeaderRules(answer.headers, rules.responseHeaders);
    return answer;
  });
}

/**
 * An upstream error body without the credential it was sent: some upstreams echo the key they
 * refused (`Incorrect API key provided: sk-…`), and the body goes on to the client (passed through,
 * or quoted in a converted error) and into request logs.
 */
function withoutSecrets(body: Uint8Array, credential: CredentialRecord | null): Uint8Array {
  const secrets = credential === null ? [] : Object.values(credential.secret);
  if (secrets.length === 0) return body;
  const text = textDecoder.decode(body);
  const scrubbed = scrubSecrets(text, secrets);
  return scrubbed === text ? body : textEncoder.encode(scrubbed);
}

async function answerOf(context: RespondContext): Promise<GatewayResponse> {
  const { request, exchange, outcome, headers } = context;
  const { upstream, conversion } = exchange;
  const status = upstream.status;
  const warnings = conversion?.warnings.list;

  if (outcome.kind !== 'success') {
    const body = withoutSecrets(
      await collectBody(upstream.body, context.maxResponseBytes),
      exchange.candidate.credential,
    );
    if (conversion === null) {
      context.onEnd({
        status,
        endState: 'upstream-error',
        errorCode: 'upstream_error',
        usage: undefined,
        firstByteAt: null,
        upstreamErrorBody: body,
      });
      return { status, headers, body };
    }
    // The upstream's error is in its own wire: re-express it in the client's.
    const retryAfter =
      outcome.kind === 'rate-limited' && outcome.retryAfterMs !== undefined
        ? outcome.retryAfterMs / 1000
        : undefined;
    const failure = upstreamErrorFromBody(status, textDecoder.decode(body), retryAfter);
    context.onEnd({
      status: failure.status,
      endState: 'upstream-error',
      errorCode: failure.code,
      usage: undefined,
      firstByteAt: null,
      warnings,
      upstreamErrorBody: body,
    });
    throw failure;
  }

  if (conversion === null) {
    if (!request.stream) {
      const body = await collectBody(upstream.body, context.maxResponseBytes);
      context.onEnd({
        status,
        endState: 'complete',
        errorCode: null,
        usage: passthroughUsage(request, body),
        firstByteAt: null,
        producedBytes: producedBytesOf(body),
      });
      return { status, headers, body };
    }
    const body = relayStream({
      body: upstream.body,
      wire: GENERATE_CONTENT_WIRES[request.operation.wire],
      format: request.streamFormat,
      requestId: request.requestId,
      clock: context.clock,
      abortUpstream: context.abortUpstream,
      clientGone: context.clientGone,
      onEnd: (end) => context.onEnd(streamEnd(status, end)),
    });
    return { status, headers, body: exchange.stripStreamUsage === true ? stripStreamUsage(body) : body };
  }

  const encodeContext = streamContext(context, conversion);
  if (request.stream && exchange.upstreamStream) {
    // Warnings found later in the stream only reach the log: the headers have gone by then.
    setWarnings(headers, conversion);
    headers['content-type'] = streamContentType(request);
    const body = convertStream({
      body: upstream.body,
      conversion,
      encodeContext,
      clock: context.clock,
      abortUpstream: context.abortUpstream,
      clientGone: context.clientGone,
      onEnd: (end) => context.onEnd({ ...streamEnd(status, end), warnings }),
    });
    return { status, headers, body };
  }

  // The upstream answered (or streamed) in one piece: convert it whole.
  const whole = await collectBody(upstream.body, context.maxResponseBytes);
  const answer = canonicalAnswer(conversion, whole, exchange.upstreamStream);
  const body = request.stream
    ? encodeSynthetic(conversion, answer, encodeContext)
    : encodeWhole(conversion, answer, encodeContext);
  setWarnings(headers, conversion);
  headers['content-type'] = request.stream ? streamContentType(request) : 'application/json';
  context.onEnd({
    status,
    endState: 'complete',
    errorCode: null,
    usage: answer.usage,
    firstByteAt: null,
    warnings,
    producedBytes: producedBytesOf(whole),
  });
  return { status, headers, body };
}

function streamEnd(status: number, end: StreamEnd): RespondEnd {
  return {
    status,
    endState: end.endState,
    errorCode: end.error?.code ?? null,
    usage: end.usage,
    firstByteAt: end.firstByteAt,
    producedBytes: end.producedBytes,
  };
}

function producedBytesOf(body: Uint8Array): number {
  const counter = new ProducedTextCounter();
  counter.push(body);
  return counter.producedBytes;
}

function streamContext(context: RespondContext, conversion: Conversion): EncodeStreamContext {
  return {
    warnings: conversion.warnings,
    model: context.request.model,
    requestId: context.request.requestId,
    sourceWire: conversion.upstream.wire,
    nowSeconds: Math.floor(context.clock.now() / 1000),
    format: context.request.streamFormat,
    includeUsage: conversion.canonical.streamIncludeUsage === true,
  };
}

/** Reads only the usage value of the answer, not the whole body. */
function passthroughUsage(request: GatewayRequest, body: Uint8Array): Usage | undefined {
  return GENERATE_CONTENT_WIRES[request.operation.wire].usageFromResponseText(textDecoder.decode(body));
}

function streamContentType(request: GatewayRequest): string {
  return request.streamFormat === 'json-array' ? 'application/json' : 'text/event-stream';
}

function setWarnings(headers: Record<string, string>, conversion: Conversion): void {
  const value = conversion.warnings.toHeader();
  if (value !== undefined) headers['x-gproxy-warnings'] = value;
}

export function contentTypeOf(headers: ResponseHeaders): string {
  const value = headers['content-type'];
  return typeof value === 'string' ? value : 'application/json';
}
