/**
 * What the rest of the pipeline sees of a Bedrock answer: a whole answer as it came (InvokeModel
 * returns the Claude message JSON itself, Converse its response JSON); a successful stream re-framed
 * from AWS event-stream into SSE (the Claude events InvokeModel wraps, or one event per ConverseStream
 * frame); an error in Claude's envelope (InvokeModel) or Bedrock's own (Converse).
 */
import type { PrepareInput, ResponseHeaders, UpstreamResponse } from '../contract';
import { claudeSseFromEventStream } from './claude-stream';
import { converseSseFromEventStream } from './converse-stream';
import { claudeErrorFromBedrock, converseErrorFromBedrock } from './error-body';

/** Framing headers of the original body, which no longer describe the adapted one. */
const DROPPED_HEADERS = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'x-amzn-bedrock-content-type',
]);

function withContentType(headers: ResponseHeaders, contentType: string): ResponseHeaders {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!DROPPED_HEADERS.has(name)) out[name] = value;
  }
  out['content-type'] = contentType;
  return out;
}

export function adaptBedrockResponse(response: UpstreamResponse, input: PrepareInput): UpstreamResponse {
  const { status } = response;
  const success = status >= 200 && status <= 299;
  if (success && !input.stream) return response;
  return {
    status,
    headers: withContentType(response.headers, success ? 'text/event-stream' : 'application/json'),
    body: adaptedBody(response, input.operation.wire === 'bedrock-converse', success),
    discard: () => response.discard(),
  };
}

function adaptedBody(
  response: UpstreamResponse,
  converse: boolean,
  success: boolean,
): AsyncIterable<Uint8Array> {
  if (converse) {
    return success
      ? converseSseFromEventStream(response.body)
      : converseErrorFromBedrock(response.headers, response.body);
  }
  return success
    ? claudeSseFromEventStream(response.body)
    : claudeErrorFromBedrock(response.status, response.headers, response.body);
}
