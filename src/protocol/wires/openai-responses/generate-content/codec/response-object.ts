/** The Responses `response` object around its output, with the echo fields the SDKs read. */
import type { Usage } from '../../../../usage';
import type { JsonObject } from '../../../../json-access';
import type { WireStatus } from './finish';

export interface ResponseFields {
  id: string;
  createdAt: number;
  model: string;
  output: JsonObject[];
  usage: Usage | undefined;
  /** `in_progress` for the stream's opening events. */
  status: WireStatus | { status: 'in_progress'; incomplete_details: null; error: null };
}

/**
 * The request settings are echoed by OpenAI; the encoder does not see the request, so they carry
 * the API's defaults (SDKs read their presence, not their values).
 */
export function responseObject(fields: ResponseFields): JsonObject {
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: fields.status.status,
    error: fields.status.error,
    incomplete_details: fields.status.incomplete_details,
    instructions: null,
    max_output_tokens: null,
    model: fields.model,
    output: fields.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage: fields.usage ? encodeUsage(fields.usage) : null,
    metadata: {},
  };
}

/** Canonical usage already has OpenAI's semantics: input includes cached tokens, output includes reasoning. */
export function encodeUsage(usage: Usage): JsonObject {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: {
      cached_tokens: usage.cachedInputTokens,
      cache_write_tokens: usage.cacheCreationTokens,
    },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** The client's response id: the upstream's when it already looks like one, else one from the request id. */
export function responseId(upstreamId: string, requestId: string): string {
  return upstreamId.startsWith('resp_') ? upstreamId : `resp_${requestId}`;
}
