/** A Claude Messages request body to the canonical request. */
import { GatewayError } from '../../../../../core/errors';
import type { DecodeRequestContext } from '../../../../canonical/codec';
import type { TextPart } from '../../../../canonical/parts';
import { effortForBudget } from '../../../../canonical/reasoning-budget';
import type {
  CanonicalMessage,
  CanonicalRequest,
  ReasoningConfig,
  ResponseFormat,
} from '../../../../canonical/request';
import { arrayAt, asObject, numberAt, objectAt, stringAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { requireModel, requireObjectBody } from '../../../request-facts';
import { decodeContent, decodeText } from './decode-blocks';
import type { DecodeState } from './decode-state';
import { createDecodeState, noteCacheControl } from './decode-state';
import { hasValue } from './json-read';
import { decodeToolChoice, decodeTools } from './tools';

/** Fields with a meaning the canonical model cannot hold. */
const DROPPED_FIELDS = ['service_tier', 'container', 'mcp_servers', 'context_management', 'output_config'];

export function decodeClaudeRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  const object = requireObjectBody(body);
  const model = requireModel(object['model']);
  const rawMessages = arrayAt(object, 'messages');
  if (!rawMessages) {
    throw new GatewayError('invalid_request', '`messages` must be an array of messages', {
      param: 'messages',
    });
  }
  const state = createDecodeState(context.warnings);
  const request: CanonicalRequest = {
    model,
    system: decodeSystem(object['system'], state),
    messages: rawMessages.map((item, i) => decodeMessage(item, i, state)),
    tools: decodeTools(object['tools'], state),
    stream: object['stream'] === true,
  };
  decodeToolChoice(object['tool_choice'], request);
  const maxTokens = numberAt(object, 'max_tokens');
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const temperature = numberAt(object, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = numberAt(object, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const topK = numberAt(object, 'top_k');
  if (topK !== undefined) request.topK = topK;
  const stop = arrayAt(object, 'stop_sequences')?.filter((s): s is string => typeof s === 'string');
  if (stop && stop.length > 0) request.stop = stop;
  const user = stringAt(objectAt(object, 'metadata'), 'user_id');
  if (user !== undefined) request.user = user;
  const reasoning = decodeThinking(objectAt(object, 'thinking'));
  if (reasoning) request.reasoning = reasoning;
  const format = decodeOutputFormat(objectAt(object, 'output_format'));
  if (format) request.responseFormat = format;
  for (const field of DROPPED_FIELDS) if (hasValue(object, field)) context.warnings.add('dropped', field);
  return request;
}

function decodeSystem(value: unknown, state: DecodeState): TextPart[] {
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: value }];
  if (!Array.isArray(value)) return [];
  const parts: TextPart[] = [];
  (value as unknown[]).forEach((item, i) => {
    const block = asObject(item);
    if (!block) return;
    noteCacheControl(block, `system[${i}]`, state);
    parts.push(decodeText(block, `system[${i}]`, state));
  });
  return parts;
}

function decodeMessage(item: unknown, i: number, state: DecodeState): CanonicalMessage {
  const message = asObject(item);
  const role = stringAt(message, 'role');
  if (!message || (role !== 'user' && role !== 'assistant')) {
    throw new GatewayError('invalid_request', `\`messages[${i}].role\` must be "user" or "assistant"`, {
      param: `messages[${i}].role`,
    });
  }
  return { role, parts: decodeContent(message['content'], `messages[${i}].content`, state) };
}

function decodeThinking(thinking: JsonObject | undefined): ReasoningConfig | undefined {
  const type = stringAt(thinking, 'type');
  if (type === 'disabled') return { enabled: false };
  if (type !== 'enabled') return undefined;
  // Claude always returns (summarized) thinking text when thinking is on.
  const config: ReasoningConfig = { enabled: true, includeThoughts: true };
  const budget = numberAt(thinking, 'budget_tokens');
  if (budget !== undefined) {
    config.budgetTokens = budget;
    config.effort = effortForBudget(budget);
  }
  return config;
}

/** `output_format` of Claude's structured-outputs beta (`structured-outputs-2025-11-13`). */
function decodeOutputFormat(format: JsonObject | undefined): ResponseFormat | undefined {
  if (stringAt(format, 'type') !== 'json_schema') return undefined;
  return { type: 'json-schema', schema: objectAt(format, 'schema') ?? {} };
}
