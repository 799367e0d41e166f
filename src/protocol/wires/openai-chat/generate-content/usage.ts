/** Usage of a Chat Completions answer: `usage` on the completion, or on the last stream chunk. */
import { asObject, countAt, objectAt } from '../../../json-access';
import type { JsonObject } from '../../../json-access';
import type { Usage } from '../../../usage';
import type { StreamUsageReader } from '../../../wire';
import { createSseUsageReader } from '../../sse-usage-reader';

function chatUsage(usage: JsonObject): Usage {
  const prompt = objectAt(usage, 'prompt_tokens_details');
  const completion = objectAt(usage, 'completion_tokens_details');
  return {
    inputTokens: countAt(usage, 'prompt_tokens') ?? 0,
    outputTokens: countAt(usage, 'completion_tokens') ?? 0,
    cachedInputTokens: countAt(prompt, 'cached_tokens') ?? 0,
    cacheCreationTokens: countAt(prompt, 'cache_write_tokens') ?? 0,
    reasoningTokens: countAt(completion, 'reasoning_tokens') ?? 0,
  };
}

export function chatUsageFromResponse(json: unknown): Usage | undefined {
  const usage = objectAt(asObject(json), 'usage');
  return usage ? chatUsage(usage) : undefined;
}

/** With `stream_options.include_usage` the usage comes on a last chunk with `choices: []`. */
export function createChatStreamUsageReader(): StreamUsageReader {
  let last: Usage | undefined;
  return createSseUsageReader({
    marker: '"usage"',
    // With include_usage every chunk says `"usage":null`; only the last one is worth parsing.
    wants: (event) => event.data.includes('"usage"') && !event.data.includes('"usage":null'),
    take: (json) => {
      last = chatUsageFromResponse(json) ?? last;
    },
    result: () => last,
  });
}
