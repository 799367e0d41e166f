/** Request settings of a Responses request besides `input`: tools, tool choice, reasoning, output format. */
import type {
  CanonicalTool,
  ReasoningConfig,
  ResponseFormat,
  ToolChoice,
} from '../../../../canonical/request';
import { readEffortLevel } from '../../../../canonical/reasoning-budget';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { arrayAt, asObject, booleanAt, isSet, objectAt, stringAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { decodeOpenAiResponseFormat } from '../../../openai-response-format';

export function decodeTools(body: JsonObject, warnings: TransformWarnings): CanonicalTool[] {
  const tools: CanonicalTool[] = [];
  (arrayAt(body, 'tools') ?? []).forEach((value, index) => {
    const tool = asObject(value);
    const type = stringAt(tool, 'type');
    const name = stringAt(tool, 'name');
    if (type !== 'function' || name === undefined) {
      // Hosted tools (web_search, file_search, code_interpreter …) run only at OpenAI.
      warnings.add('unsupported', `tools[${index}]`, `tool type ${type ?? 'missing'}`);
      return;
    }
    const canonical: CanonicalTool = {
      name,
      parameters: objectAt(tool, 'parameters') ?? { type: 'object', properties: {} },
    };
    const description = stringAt(tool, 'description');
    if (description !== undefined) canonical.description = description;
    const strict = booleanAt(tool, 'strict');
    if (strict !== undefined) canonical.strict = strict;
    tools.push(canonical);
  });
  return tools;
}

export function decodeToolChoice(value: unknown, warnings: TransformWarnings): ToolChoice | undefined {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  const choice = asObject(value);
  if (!choice) return undefined;
  const type = stringAt(choice, 'type');
  const name = stringAt(choice, 'name');
  if (type === 'function' && name !== undefined) return { type: 'tool', name };
  if (type === 'allowed_tools') {
    // Restricting the tool list per request has no canonical form: keep the mode, drop the subset.
    warnings.add('approximated', 'tool_choice.tools', 'allowed_tools subset not enforced');
    return stringAt(choice, 'mode') === 'required' ? { type: 'required' } : { type: 'auto' };
  }
  warnings.add('unsupported', 'tool_choice', `tool choice ${type ?? 'missing'}`);
  return undefined;
}

export function decodeReasoning(body: JsonObject, warnings: TransformWarnings): ReasoningConfig | undefined {
  const reasoning = objectAt(body, 'reasoning');
  if (!reasoning) return undefined;
  const effort = stringAt(reasoning, 'effort');
  // `generate_summary` is the deprecated name of `summary`.
  const summary = stringAt(reasoning, 'summary') ?? stringAt(reasoning, 'generate_summary');
  if (effort === 'none') return { enabled: false };
  if (effort === undefined && summary === undefined) return undefined;
  const config: ReasoningConfig = { enabled: true };
  const level = readEffortLevel(effort);
  if (level !== undefined) {
    config.effort = level.effort;
    if (level.approximated !== undefined)
      warnings.add('approximated', 'reasoning.effort', `${level.approximated} as high`);
  } else if (effort !== undefined) warnings.add('unsupported', 'reasoning.effort', effort);
  if (summary !== undefined) config.includeThoughts = true;
  return config;
}

export function decodeTextFormat(body: JsonObject, warnings: TransformWarnings): ResponseFormat | undefined {
  const text = objectAt(body, 'text');
  if (isSet(text, 'verbosity')) warnings.add('dropped', 'text.verbosity');
  const format = objectAt(text, 'format');
  return decodeOpenAiResponseFormat(stringAt(format, 'type'), format, (type) =>
    warnings.add('unsupported', 'text.format', `format ${String(type)}`),
  );
}

export function decodeMetadata(body: JsonObject): Record<string, string> | undefined {
  const metadata = objectAt(body, 'metadata');
  if (!metadata) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** Fields with a meaning that no other wire carries: reported, not silently lost. */
const DROPPED_FIELDS = [
  'top_logprobs',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'max_tool_calls',
  'context_management',
  'moderation',
] as const;

export function warnUncarriedFields(body: JsonObject, warnings: TransformWarnings): void {
  for (const field of DROPPED_FIELDS) {
    if (isSet(body, field)) warnings.add('dropped', field);
  }
  if (body['truncation'] === 'auto') warnings.add('dropped', 'truncation');
  if (body['background'] === true) warnings.add('unsupported', 'background');
  if (isSet(body, 'prompt')) warnings.add('unsupported', 'prompt', 'stored prompt templates');
  // Without a store, the answer cannot be fetched or continued from by id later.
  if (body['store'] === true) warnings.add('unsupported', 'store');
  (arrayAt(body, 'include') ?? []).forEach((value, index) => {
    if (value !== 'reasoning.encrypted_content')
      warnings.add('unsupported', `include[${index}]`, String(value));
  });
}
