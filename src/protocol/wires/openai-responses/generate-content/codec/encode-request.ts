/** A canonical request as the body of a stateless Responses request (`store: false`). */
import type { EncodeRequestContext } from '../../../../canonical/codec';
import { effortOf } from '../../../../canonical/reasoning-budget';
import type { CanonicalRequest, ReasoningConfig, ToolChoice } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { encodeOpenAiResponseFormat } from '../../../openai-response-format';
import { encodeInput } from './encode-input';

export function encodeRequest(
  request: CanonicalRequest,
  context: EncodeRequestContext,
): Record<string, unknown> {
  const { warnings } = context;
  const body: JsonObject = { model: context.upstreamModel };
  if (request.system.length > 0) body['instructions'] = request.system.map((part) => part.text).join('\n\n');
  const input = encodeInput(request.messages, warnings);
  body['input'] = input;
  if (request.tools.length > 0) {
    body['tools'] = request.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.parameters,
      // Responses makes function tools strict by default, which rejects most hand-written schemas.
      strict: tool.strict ?? false,
    }));
  }
  if (request.toolChoice) body['tool_choice'] = toolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body['parallel_tool_calls'] = request.parallelToolCalls;
  if (request.maxOutputTokens !== undefined) body['max_output_tokens'] = request.maxOutputTokens;
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.topP !== undefined) body['top_p'] = request.topP;
  const reasoning = request.reasoning && reasoningConfig(request.reasoning, warnings);
  if (reasoning) body['reasoning'] = reasoning;
  if (request.responseFormat)
    body['text'] = { format: encodeOpenAiResponseFormat(request.responseFormat, (spec) => spec) };
  if (request.user !== undefined) body['safety_identifier'] = request.user;
  if (request.metadata !== undefined) body['metadata'] = request.metadata;
  warnUncarried(request, warnings);
  body['stream'] = request.stream;
  // Stateless: nothing is kept at OpenAI, so the next turn must bring the encrypted reasoning back.
  body['store'] = false;
  if (asksForReasoningState(request, input)) body['include'] = ['reasoning.encrypted_content'];
  return body;
}

/**
 * Whether to ask for the encrypted reasoning: when the client turned reasoning on, or the
 * conversation carries OpenAI reasoning to continue. Never otherwise: models that do not reason
 * refuse the `include` (400), and a request that neither asks for reasoning nor continues any has
 * none to keep.
 */
function asksForReasoningState(request: CanonicalRequest, input: readonly JsonObject[]): boolean {
  return request.reasoning?.enabled === true || input.some((item) => item['type'] === 'reasoning');
}

function toolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}

function reasoningConfig(config: ReasoningConfig, warnings: TransformWarnings): JsonObject | undefined {
  if (!config.enabled) {
    // `effort: "none"` exists only on newer models and is a 400 on the others; the model default is safer.
    warnings.add('approximated', 'reasoning.enabled', 'reasoning cannot be turned off on every OpenAI model');
    return undefined;
  }
  const out: JsonObject = {};
  const effort = effortOf(config);
  if (effort !== undefined) out['effort'] = effort;
  // Summaries only on request: some organizations must be verified to get them.
  if (config.includeThoughts === true) out['summary'] = 'auto';
  return Object.keys(out).length > 0 ? out : undefined;
}

function warnUncarried(request: CanonicalRequest, warnings: TransformWarnings): void {
  if (request.topK !== undefined) warnings.add('dropped', 'topK');
  if (request.stop !== undefined && request.stop.length > 0) warnings.add('dropped', 'stop');
  if (request.seed !== undefined) warnings.add('dropped', 'seed');
  if (request.presencePenalty !== undefined) warnings.add('dropped', 'presencePenalty');
  if (request.frequencyPenalty !== undefined) warnings.add('dropped', 'frequencyPenalty');
}
