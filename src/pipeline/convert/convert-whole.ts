/**
 * Whole (non-streamed) answers through the codecs: the upstream's answer -> canonical -> the
 * client's wire. An upstream that could only stream has its stream folded into one answer; a
 * client that streams from an upstream that could not gets a synthetic stream of that answer.
 */
import { GatewayError } from '../../core/errors';
import { SseDecoder } from '../../core/sse';
import { StreamAggregator } from '../../protocol/canonical/aggregate';
import type { EncodeResponseContext, EncodeStreamContext } from '../../protocol/canonical/codec';
import type { CanonicalResponse } from '../../protocol/canonical/response';
import { synthesizeStream } from '../../protocol/canonical/synthesize';
import type { Conversion } from './request-conversion';

const textDecoder = new TextDecoder();

/** The upstream's whole answer (a JSON body, or a complete stream when `upstreamStreamed`) in canonical form. */
export function canonicalAnswer(
  conversion: Conversion,
  body: Uint8Array,
  upstreamStreamed: boolean,
): CanonicalResponse {
  if (upstreamStreamed) {
    const sse = new SseDecoder();
    const decoder = conversion.upstream.createStreamDecoder({ warnings: conversion.warnings });
    const aggregator = new StreamAggregator();
    for (const event of [...sse.push(body), ...sse.end()]) {
      for (const canonical of decoder.push(event)) aggregator.push(canonical);
    }
    for (const canonical of decoder.end()) aggregator.push(canonical);
    return aggregator.result();
  }
  let json: unknown;
  try {
    json = JSON.parse(textDecoder.decode(body));
  } catch {
    throw new GatewayError('upstream_bad_response', 'The upstream answered with a body that is not JSON.');
  }
  return conversion.upstream.decodeResponse(json, { warnings: conversion.warnings });
}

export function encodeWhole(
  conversion: Conversion,
  answer: CanonicalResponse,
  context: EncodeResponseContext,
): string {
  return JSON.stringify(conversion.client.encodeResponse(answer, context));
}

/** The whole answer as the client's stream, in one piece. */
export function encodeSynthetic(
  conversion: Conversion,
  answer: CanonicalResponse,
  context: EncodeStreamContext,
): string {
  const encoder = conversion.client.createStreamEncoder(context);
  let text = '';
  for (const event of synthesizeStream(answer)) text += encoder.push(event);
  return text + encoder.end();
}
