/**
 * What Converse leaves to each model, sent in `additionalModelRequestFields` in the model vendor's
 * own shape: top-k and reasoning. Anthropic models take Claude's `top_k` and `thinking` (with
 * Claude's rules for when thinking is allowed); Amazon Nova takes `inferenceConfig.topK`, and Nova 2
 * `reasoningConfig`. Other vendors have no common field for either, so those are reported dropped.
 */
import { EFFORT_BUDGET, effortForBudget, effortOf } from '../../../../canonical/reasoning-budget';
import type { CanonicalRequest, ReasoningConfig } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { numberAt, objectAt, stringAt, type JsonObject } from '../../../../json-access';
import { bedrockModelVendor } from '../model-vendor';

/** Claude's smallest thinking budget. */
const MIN_BUDGET = 1024;
/** Claude allows only top_p >= 0.95 with thinking on. */
const MIN_TOP_P_WITH_THINKING = 0.95;

export interface ModelFields {
  additional: JsonObject;
  /** Sampling fields of inferenceConfig the model refuses in this request. */
  dropTemperature: boolean;
  dropTopP: boolean;
  /** A raised `maxTokens` (Claude's must exceed the thinking budget). */
  maxTokens?: number;
}

export function planModelFields(
  request: CanonicalRequest,
  messages: JsonObject[],
  upstreamModel: string,
  warnings: TransformWarnings,
): ModelFields {
  const fields: ModelFields = { additional: {}, dropTemperature: false, dropTopP: false };
  switch (bedrockModelVendor(upstreamModel)) {
    case 'anthropic':
      anthropicFields(request, messages, fields, warnings);
      break;
    case 'amazon':
      if (request.topK !== undefined) fields.additional['inferenceConfig'] = { topK: request.topK };
      if (request.reasoning?.enabled === true && !/nova-\d/.test(upstreamModel)) {
        // Only the second generation of Nova (`nova-2-…`) has extended thinking.
        warnings.add('dropped', 'reasoning', 'this model has no reasoning setting');
      } else if (request.reasoning?.enabled === true) {
        const effort = effortOf(request.reasoning) ?? 'medium';
        if (effort === 'minimal') warnings.add('approximated', 'reasoning.effort', 'minimal sent as low');
        const level = effort === 'minimal' ? 'low' : effort;
        fields.additional['reasoningConfig'] = { type: 'enabled', maxReasoningEffort: level };
      }
      break;
    default:
      if (request.topK !== undefined) warnings.add('dropped', 'topK', 'no Converse field for this model');
      if (request.reasoning?.enabled === true) {
        warnings.add('dropped', 'reasoning', 'no Converse field for this model');
      }
  }
  return fields;
}

function anthropicFields(
  request: CanonicalRequest,
  messages: JsonObject[],
  fields: ModelFields,
  warnings: TransformWarnings,
): void {
  const thinking = request.reasoning?.enabled === true && thinkingAllowed(request, messages, warnings);
  if (request.topK !== undefined) {
    if (thinking) warnings.add('dropped', 'topK', 'not allowed with thinking');
    else fields.additional['top_k'] = request.topK;
  }
  if (!thinking || request.reasoning === undefined) return;
  let budget = request.reasoning.budgetTokens ?? EFFORT_BUDGET[request.reasoning.effort ?? 'medium'];
  if (budget < MIN_BUDGET) {
    warnings.add('approximated', 'reasoning.budgetTokens', `raised to Claude's minimum ${MIN_BUDGET}`);
    budget = MIN_BUDGET;
  }
  const max = request.maxOutputTokens;
  if (max !== undefined && max <= budget) {
    // The client's limit covers reasoning and answer (OpenAI semantics): share it, unless too small.
    budget = Math.max(MIN_BUDGET, Math.floor(max / 2));
    if (budget >= max) fields.maxTokens = budget + MIN_BUDGET;
    warnings.add('approximated', 'reasoning.budgetTokens', 'maxTokens must exceed the thinking budget');
  }
  fields.additional['thinking'] = { type: 'enabled', budget_tokens: budget };
  if (request.temperature !== undefined && request.temperature !== 1) {
    warnings.add('dropped', 'temperature', 'Claude thinking requires 1');
    fields.dropTemperature = true;
  }
  if (request.topP !== undefined && request.topP < MIN_TOP_P_WITH_THINKING) {
    warnings.add('dropped', 'topP', 'below 0.95 with thinking');
    fields.dropTopP = true;
  }
}

/** Claude refuses thinking with a forced tool, or after a tool-use turn without its signed reasoning. */
function thinkingAllowed(
  request: CanonicalRequest,
  messages: JsonObject[],
  warnings: TransformWarnings,
): boolean {
  const forced = request.toolChoice?.type === 'required' || request.toolChoice?.type === 'tool';
  if (forced && request.tools.length > 0) {
    warnings.add('approximated', 'reasoning', 'thinking disabled: Claude cannot think when a tool is forced');
    return false;
  }
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.['role'] !== 'assistant') continue;
    const content = Array.isArray(message['content']) ? (message['content'] as JsonObject[]) : [];
    if (!content.some((block) => block['toolUse'] !== undefined)) continue;
    if (content[0]?.['reasoningContent'] !== undefined) return true;
    warnings.add(
      'approximated',
      'reasoning',
      'thinking disabled: prior tool-use turn has no signed reasoning',
    );
    return false;
  }
  return true;
}

/** Reads the vendor fields back (both shapes), reporting any other field as dropped. */
export function decodeModelFields(
  value: JsonObject | undefined,
  request: CanonicalRequest,
  warnings: TransformWarnings,
): void {
  if (value === undefined) return;
  for (const [key, field] of Object.entries(value)) {
    switch (key) {
      case 'top_k':
        if (typeof field === 'number') request.topK = field;
        break;
      case 'inferenceConfig': {
        const topK = numberAt(objectAt(value, key), 'topK');
        if (topK !== undefined) request.topK = topK;
        break;
      }
      case 'thinking': {
        const reasoning = decodeThinking(objectAt(value, key));
        if (reasoning) request.reasoning = reasoning;
        break;
      }
      case 'reasoningConfig': {
        const config = objectAt(value, key);
        const level = stringAt(config, 'maxReasoningEffort');
        if (stringAt(config, 'type') === 'disabled') request.reasoning = { enabled: false };
        else if (level === 'low' || level === 'medium' || level === 'high') {
          request.reasoning = { enabled: true, effort: level };
        }
        break;
      }
      default:
        warnings.add('dropped', `additionalModelRequestFields.${key}`);
    }
  }
}

function decodeThinking(thinking: JsonObject | undefined): ReasoningConfig | undefined {
  const type = stringAt(thinking, 'type');
  if (type === 'disabled') return { enabled: false };
  if (type !== 'enabled') return undefined;
  const budget = numberAt(thinking, 'budget_tokens');
  const config: ReasoningConfig = { enabled: true, includeThoughts: true };
  if (budget !== undefined) {
    config.budgetTokens = budget;
    config.effort = effortForBudget(budget);
  }
  return config;
}
