/**
 * Bedrock's error answers (`{"message": "..."}` with the exception name in `x-amzn-errortype`).
 * InvokeModel's go out in Claude's error envelope, so a Claude client served by Bedrock parses them
 * as it parses Anthropic's; Converse's keep Bedrock's shape, read by the pipeline's upstream error
 * conversion. The status is kept, and the AWS exception name goes into the message either way.
 */
import type { ResponseHeaders } from '../contract';
import { headerValue } from '../headers';

/** Error bodies are small; anything beyond this is cut, never buffered without bound. */
const MAX_ERROR_BODY = 64 * 1024;

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** The Claude error `type` for an HTTP status, as the Anthropic API uses them. */
export function claudeErrorTypeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 408:
    case 504:
      return 'timeout_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

async function readCapped(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = MAX_ERROR_BODY - size;
    parts.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= MAX_ERROR_BODY) break;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return utf8Decoder.decode(all);
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>;
      const message = record['message'] ?? record['Message'];
      if (typeof message === 'string' && message !== '') return message;
    }
  } catch {
    // Not JSON: the text itself is the best message there is.
  }
  return text.trim().slice(0, 1000) || 'no message';
}

/** `ThrottlingException:http://internal.amazon.com/coral/...` → `ThrottlingException`. */
function exceptionName(headers: ResponseHeaders): string | undefined {
  const value = headerValue(headers, 'x-amzn-errortype');
  const name = value?.split(':')[0]?.trim();
  return name === undefined || name === '' ? undefined : name;
}

/** The error's message with the exception name in front: `Bedrock ThrottlingException: …`. */
async function bedrockErrorMessage(
  headers: ResponseHeaders,
  body: AsyncIterable<Uint8Array>,
): Promise<string> {
  const message = messageOf(await readCapped(body));
  const name = exceptionName(headers);
  return name ? `Bedrock ${name}: ${message}` : message;
}

export async function* claudeErrorFromBedrock(
  status: number,
  headers: ResponseHeaders,
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const message = await bedrockErrorMessage(headers, body);
  const envelope = { type: 'error', error: { type: claudeErrorTypeForStatus(status), message } };
  yield utf8Encoder.encode(JSON.stringify(envelope));
}

/** A Converse error answer in Bedrock's own `{"message"}` shape, the exception named in it. */
export async function* converseErrorFromBedrock(
  headers: ResponseHeaders,
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  yield utf8Encoder.encode(JSON.stringify({ message: await bedrockErrorMessage(headers, body) }));
}
