/**
 * Usage of a Gemini answer from `usageMetadata`. Thoughts are billed as output but reported apart
 * from `candidatesTokenCount`, and tool-use prompt tokens apart from `promptTokenCount`, so both are
 * added back. Stream chunks repeat a growing `usageMetadata`; the last one seen wins.
 */
import { asObject, countAt, objectAt } from '../../../json-access';
import type { JsonObject } from '../../../json-access';
import type { Usage } from '../../../usage';
import type { StreamUsageReader } from '../../../wire';
import { createSseUsageReader, feedJson } from '../../sse-usage-reader';
import type { UsageEventHandler } from '../../sse-usage-reader';
import { JsonArrayScanner } from './json-array-scanner';

function geminiUsage(metadata: JsonObject): Usage {
  const thoughts = countAt(metadata, 'thoughtsTokenCount') ?? 0;
  return {
    inputTokens:
      (countAt(metadata, 'promptTokenCount') ?? 0) + (countAt(metadata, 'toolUsePromptTokenCount') ?? 0),
    outputTokens: (countAt(metadata, 'candidatesTokenCount') ?? 0) + thoughts,
    cachedInputTokens: countAt(metadata, 'cachedContentTokenCount') ?? 0,
    cacheCreationTokens: 0,
    reasoningTokens: thoughts,
  };
}

export function geminiUsageFromResponse(json: unknown): Usage | undefined {
  const metadata = objectAt(asObject(json), 'usageMetadata');
  return metadata ? geminiUsage(metadata) : undefined;
}

function lastUsageHandler(): UsageEventHandler {
  let last: Usage | undefined;
  return {
    marker: '"usageMetadata"',
    wants: (event) => event.data.includes('usageMetadata'),
    take: (json) => {
      last = geminiUsageFromResponse(json) ?? last;
    },
    result: () => last,
  };
}

function createJsonArrayUsageReader(): StreamUsageReader {
  const scanner = new JsonArrayScanner();
  const handler = lastUsageHandler();
  let finished = false;
  const handle = (elements: string[]): void => {
    for (const element of elements) if (element.includes('usageMetadata')) feedJson(element, handler);
  };
  return {
    push(chunk) {
      if (!finished) handle(scanner.push(chunk));
    },
    finish() {
      if (!finished) {
        finished = true;
        handle(scanner.end());
      }
      return handler.result();
    },
  };
}

export function createGeminiStreamUsageReader(format: 'sse' | 'json-array'): StreamUsageReader {
  return format === 'sse' ? createSseUsageReader(lastUsageHandler()) : createJsonArrayUsageReader();
}
