/** The canonical request as a Claude Messages request body for an upstream. */
import type { EncodeRequestContext } from '../../../../canonical/codec';
import type { CanonicalRequest } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { blocksOf, encodeMessages } from './encode-messages';
import { planThinking } from './encode-thinking';
import { encodeToolChoice, encodeTools } from './tools';

/** Claude allows only top_p >= 0.95 with thinking on. */
const MIN_TOP_P_WITH_THINKING = 0.95;

export function encodeClaudeRequest(
  request: CanonicalRequest,
  context: EncodeRequestContext,
): Record<string, unknown> {
  const { warnings } = context;
  const messages = encodeMessages(request.messages, warnings);
  const plan = planThinking(request, messages, warnings);
  const body: JsonObject = { model: context.upstreamModel, max_tokens: plan.maxTokens, messages };
  const system = request.system
    .filter((part) => part.text !== '')
    .map((part) => ({ type: 'text', text: part.text }));
  if (system.length > 0) body['system'] = system;
  encodeToolFields(request, messages, body, warnings);
  if (plan.thinking) body['thinking'] = plan.thinking;
  encodeSampling(request, plan.enabled, body, warnings);
  if (request.stop && request.stop.length > 0) body['stop_sequences'] = request.stop;
  if (request.user !== undefined) body['metadata'] = { user_id: request.user };
  if (request.metadata !== undefined && Object.keys(request.metadata).length > 0)
    warnings.add('dropped', 'metadata');
  encodeResponseFormat(request, body, warnings);
  if (request.stream) body['stream'] = true;
  return body;
}

function encodeToolFields(
  request: CanonicalRequest,
  messages: JsonObject[],
  body: JsonObject,
  warnings: TransformWarnings,
): void {
  if (request.tools.length > 0) {
    body['tools'] = encodeTools(request.tools, warnings);
    const choice = encodeToolChoice(request);
    if (choice) body['tool_choice'] = choice;
    return;
  }
  // Claude rejects tool_use/tool_result history without tool definitions: declare the tools the
  // history used, and forbid calling them, which is what a request without tools means.
  const names = historyToolNames(messages);
  if (names.length === 0) return;
  warnings.add('approximated', 'tools', 'tools of earlier turns declared with tool_choice none');
  body['tools'] = names.map((name) => ({ name, input_schema: { type: 'object' } }));
  body['tool_choice'] = { type: 'none' };
}

function historyToolNames(messages: JsonObject[]): string[] {
  const names = new Set<string>();
  let hasResults = false;
  for (const message of messages) {
    for (const block of blocksOf(message)) {
      if (block['type'] === 'tool_use' && typeof block['name'] === 'string') names.add(block['name']);
      if (block['type'] === 'tool_result') hasResults = true;
    }
  }
  // Tool results alone (their calls cut from the history) still need some tool declared.
  if (names.size === 0 && hasResults) names.add('tool');
  return [...names];
}

function encodeSampling(
  request: CanonicalRequest,
  thinking: boolean,
  body: JsonObject,
  warnings: TransformWarnings,
): void {
  if (request.temperature !== undefined) {
    // With thinking on Claude accepts only temperature 1.
    if (thinking && request.temperature !== 1)
      warnings.add('dropped', 'temperature', 'Claude thinking requires 1');
    else body['temperature'] = request.temperature;
  }
  if (request.topP !== undefined) {
    if (thinking && request.topP < MIN_TOP_P_WITH_THINKING)
      warnings.add('dropped', 'topP', 'below 0.95 with thinking');
    else body['top_p'] = request.topP;
  }
  if (request.topK !== undefined) {
    if (thinking) warnings.add('dropped', 'topK', 'not allowed with thinking');
    else body['top_k'] = request.topK;
  }
  if (request.seed !== undefined) warnings.add('dropped', 'seed');
  if (request.presencePenalty !== undefined) warnings.add('dropped', 'presencePenalty');
  if (request.frequencyPenalty !== undefined) warnings.add('dropped', 'frequencyPenalty');
}

function encodeResponseFormat(
  request: CanonicalRequest,
  body: JsonObject,
  warnings: TransformWarnings,
): void {
  const format = request.responseFormat;
  if (format?.type === 'json-schema') {
    // Claude's structured-outputs beta: the channel must send `anthropic-beta: structured-outputs-2025-11-13`.
    body['output_format'] = { type: 'json_schema', schema: format.schema };
  } else if (format?.type === 'json-object') {
    warnings.add('dropped', 'responseFormat', 'Claude has no schema-less JSON mode');
  }
}
