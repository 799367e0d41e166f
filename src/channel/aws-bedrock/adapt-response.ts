/**
 * What the rest of the pipeline sees of a Bedrock answer: a successful stream re-framed from AWS
 * event-stream into Claude SSE, an error in Claude's error envelope, a whole answer as it came
 * (InvokeModel returns the Claude message JSON itself).
 */
import type { PrepareInput, ResponseHeaders, UpstreamResponse } from '../contract';
import { claudeSseFromEventStream } from './claude-stream';
import { claudeErrorFromBedrock } from './error-body';

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
    body: success
      ? claudeSseFromEventStream(response.body)
      : claudeErrorFromBedrock(status, response.headers, response.body),
    discard: () => response.discard(),
  };
}
