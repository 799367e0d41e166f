/** Usage of a Responses API answer: `usage` on the response, or on the stream's terminal event. */
import { asObject, countAt, objectAt } from '../../../json-access';
import type { JsonObject } from '../../../json-access';
import type { Usage } from '../../../usage';
import type { StreamUsageReader } from '../../../wire';
import { createSseUsageReader } from '../../sse-usage-reader';

/** Stream events that carry the final response object, and with it the usage. */
const TERMINAL_EVENTS: ReadonlySet<string> = new Set([
  'response.completed',
  'response.incomplete',
  'response.failed',
]);

function responsesUsage(usage: JsonObject): Usage {
  const input = objectAt(usage, 'input_tokens_details');
  const output = objectAt(usage, 'output_tokens_details');
  return {
    inputTokens: countAt(usage, 'input_tokens') ?? 0,
    outputTokens: countAt(usage, 'output_tokens') ?? 0,
    cachedInputTokens: countAt(input, 'cached_tokens') ?? 0,
    cacheCreationTokens: countAt(input, 'cache_write_tokens') ?? 0,
    reasoningTokens: countAt(output, 'reasoning_tokens') ?? 0,
  };
}

export function responsesUsageFromResponse(json: unknown): Usage | undefined {
  const usage = objectAt(asObject(json), 'usage');
  return usage ? responsesUsage(usage) : undefined;
}

export function createResponsesStreamUsageReader(): StreamUsageReader {
  let last: Usage | undefined;
  return createSseUsageReader({
    // The usage is on the response object the terminal events carry.
    marker: '"usage"',
    // Without an `event:` line the type is only known from the data.
    wants: (event) =>
      event.event === undefined ? event.data.includes('"usage"') : TERMINAL_EVENTS.has(event.event),
    take: (json) => {
      const event = asObject(json);
      const type = event?.['type'];
      if (typeof type !== 'string' || !TERMINAL_EVENTS.has(type)) return;
      last = responsesUsageFromResponse(event?.['response']) ?? last;
    },
    result: () => last,
  });
}
