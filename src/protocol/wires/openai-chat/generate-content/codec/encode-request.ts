/** A canonical request as a Chat Completions body for an upstream of this wire. */
import type { EncodeRequestContext } from '../../../../canonical/codec';
import { effortOf } from '../../../../canonical/reasoning-budget';
import type { CanonicalRequest, ReasoningConfig, ToolChoice } from '../../../../canonical/request';
import type { JsonObject } from '../../../../json-access';
import { encodeOpenAiResponseFormat } from '../../../openai-response-format';
import { encodeMessages } from './encode-messages';

function encodeToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

/** `none` turns reasoning off (OpenAI's newer reasoning models); a budget maps to the level covering it. */
function encodeReasoningEffort(reasoning: ReasoningConfig): string | undefined {
  return reasoning.enabled ? effortOf(reasoning) : 'none';
}

export function encodeRequest(
  request: CanonicalRequest,
  context: EncodeRequestContext,
): Record<string, unknown> {
  const { warnings } = context;
  const body: JsonObject = { model: context.upstreamModel, messages: encodeMessages(request, warnings) };
  if (request.tools.length > 0) {
    body['tools'] = request.tools.map((tool) => {
      const fn: JsonObject = { name: tool.name };
      if (tool.description !== undefined) fn['description'] = tool.description;
      fn['parameters'] = tool.parameters;
      if (tool.strict !== undefined) fn['strict'] = tool.strict;
      return { type: 'function', function: fn };
    });
    // OpenAI rejects both fields in a request without tools.
    if (request.toolChoice !== undefined) body['tool_choice'] = encodeToolChoice(request.toolChoice);
    if (request.parallelToolCalls !== undefined) body['parallel_tool_calls'] = request.parallelToolCalls;
  } else if (
    request.toolChoice !== undefined &&
    request.toolChoice.type !== 'none' &&
    request.toolChoice.type !== 'auto'
  ) {
    warnings.add('dropped', 'toolChoice', 'no tools were given');
  }
  if (request.maxOutputTokens !== undefined) body['max_completion_tokens'] = request.maxOutputTokens;
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.topP !== undefined) body['top_p'] = request.topP;
  if (request.topK !== undefined) warnings.add('dropped', 'topK', 'Chat Completions has no top_k');
  if (request.stop !== undefined && request.stop.length > 0) body['stop'] = request.stop;
  if (request.seed !== undefined) body['seed'] = request.seed;
  if (request.presencePenalty !== undefined) body['presence_penalty'] = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body['frequency_penalty'] = request.frequencyPenalty;
  if (request.reasoning !== undefined) {
    const effort = encodeReasoningEffort(request.reasoning);
    if (effort !== undefined) body['reasoning_effort'] = effort;
  }
  if (request.responseFormat !== undefined)
    body['response_format'] = encodeOpenAiResponseFormat(request.responseFormat, (spec) => ({
      json_schema: spec,
    }));
  if (request.user !== undefined) body['user'] = request.user;
  if (request.metadata !== undefined) {
    // OpenAI accepts `metadata` only with `store: true`, and storing a client's conversation is not ours to decide.
    warnings.add('dropped', 'metadata', 'OpenAI takes metadata only for stored completions');
  }
  if (request.stream) {
    body['stream'] = true;
    // Always: the gateway settles usage from it; the pipeline strips it for clients that did not ask.
    body['stream_options'] = { include_usage: true };
  }
  return body;
}
