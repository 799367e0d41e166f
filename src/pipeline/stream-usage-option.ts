/**
 * Asking OpenAI Chat upstreams for stream usage. Chat streams carry usage only when the request
 * says `stream_options.include_usage: true`; gproxy needs it to bill, so a passed-through streaming
 * request that does not ask gets it added, and the extra usage-only chunk (plus the `"usage":null`
 * OpenAI then puts on every chunk) is taken out of the client's stream, which stays as the client
 * asked for it. Converted requests get the option from the Chat encoder, and the Chat stream encoder
 * writes the usage chunk only for clients that asked. The other wires report usage in-stream
 * anyway: Responses in `response.completed`, Claude in `message_start` / `message_delta`, Gemini in
 * `usageMetadata`.
 */
import { findTopLevelField } from '../core/json';
import { asObject, objectAt } from '../protocol/json-access';

/** Whether an OpenAI Chat request body asks for the usage chunk. */
export function asksForStreamUsage(body: unknown): boolean {
  return objectAt(asObject(body), 'stream_options')?.['include_usage'] === true;
}

/**
 * The body with `stream_options.include_usage: true`; everything else stays byte for byte. Other
 * `stream_options` fields the client sent are kept.
 */
export function withStreamUsage(bodyText: string, body: unknown): string {
  const existing = objectAt(asObject(body), 'stream_options') ?? {};
  const value = JSON.stringify({ ...existing, include_usage: true });
  const span = findTopLevelField(bodyText, 'stream_options');
  if (span !== undefined) return bodyText.slice(0, span.start) + value + bodyText.slice(span.end);
  const open = bodyText.indexOf('{');
  if (open < 0) return bodyText;
  const empty = bodyText
    .slice(open + 1)
    .trimStart()
    .startsWith('}');
  return `${bodyText.slice(0, open + 1)}"stream_options":${value}${empty ? '' : ','}${bodyText.slice(open + 1)}`;
}

const EVENT_END = /\r?\n\r?\n/;
const USAGE_NULL = /,\s*"usage"\s*:\s*null/g;

/** Whether one SSE event is Chat's usage-only chunk (`choices: []` with a usage object). */
function isUsageOnlyChunk(event: string): boolean {
  return /"choices"\s*:\s*\[\s*\]/.test(event) && /"usage"\s*:\s*\{/.test(event);
}

/**
 * A Chat SSE stream without the usage-only chunk and without `"usage":null` members. Works on
 * whole events (bytes are held only until their event's blank line), so a chunk boundary inside an
 * event changes nothing.
 */
export async function* stripStreamUsage(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  const take = (final: boolean): string => {
    let out = '';
    for (;;) {
      const match = EVENT_END.exec(pending);
      if (match === null) break;
      const end = match.index + match[0].length;
      const event = pending.slice(0, end);
      pending = pending.slice(end);
      if (!isUsageOnlyChunk(event)) out += event.replace(USAGE_NULL, '');
    }
    if (final && pending !== '') {
      if (!isUsageOnlyChunk(pending)) out += pending.replace(USAGE_NULL, '');
      pending = '';
    }
    return out;
  };
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    const out = take(false);
    if (out !== '') yield encoder.encode(out);
  }
  pending += decoder.decode();
  const tail = take(true);
  if (tail !== '') yield encoder.encode(tail);
}
