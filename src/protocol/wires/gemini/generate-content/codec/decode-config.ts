/** Gemini `tools`, `toolConfig` and `generationConfig` -> canonical request fields. */
import type {
  CanonicalRequest,
  CanonicalTool,
  ReasoningConfig,
  ReasoningEffort,
  ResponseFormat,
  ToolChoice,
} from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import {
  arrayField,
  field,
  hasField,
  numberField,
  objectField,
  stringArrayField,
  stringField,
} from './fields';
import { GENERATION_NUMBERS } from './same-name-fields';
import { fromGeminiSchema } from './schema-from-gemini';

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

export function decodeTools(tools: unknown[], warnings: TransformWarnings): CanonicalTool[] {
  const out: CanonicalTool[] = [];
  tools.forEach((item, ti) => {
    const tool = asObject(item) ?? {};
    for (const key of Object.keys(tool)) {
      if (key !== 'functionDeclarations' && key !== 'function_declarations') {
        // Google Search, code execution, URL context …: run by Google, no canonical counterpart.
        warnings.add('unsupported', `tools[${ti}].${key}`);
      }
    }
    (arrayField(tool, 'functionDeclarations') ?? []).forEach((decl, di) => {
      const declaration = asObject(decl);
      if (declaration === undefined) return;
      const path = `tools[${ti}].functionDeclarations[${di}]`;
      out.push(decodeDeclaration(declaration, path, warnings));
    });
  });
  return out;
}

function decodeDeclaration(
  declaration: JsonObject,
  path: string,
  warnings: TransformWarnings,
): CanonicalTool {
  const jsonSchema = asObject(field(declaration, 'parametersJsonSchema'));
  const parameters = jsonSchema
    ? jsonSchema
    : hasField(declaration, 'parameters')
      ? fromGeminiSchema(field(declaration, 'parameters'))
      : EMPTY_PARAMETERS;
  for (const key of ['response', 'responseJsonSchema', 'behavior']) {
    if (hasField(declaration, key)) warnings.add('dropped', `${path}.${key}`);
  }
  const description = stringField(declaration, 'description');
  return {
    name: stringField(declaration, 'name') ?? '',
    ...(description !== undefined ? { description } : {}),
    parameters,
  };
}

export function decodeToolChoice(
  toolConfig: JsonObject | undefined,
  warnings: TransformWarnings,
): ToolChoice | undefined {
  if (hasField(toolConfig, 'retrievalConfig')) warnings.add('dropped', 'toolConfig.retrievalConfig');
  const config = objectField(toolConfig, 'functionCallingConfig');
  const mode = stringField(config, 'mode')?.toUpperCase();
  const allowed = stringArrayField(config, 'allowedFunctionNames') ?? [];
  const allowedPath = 'toolConfig.functionCallingConfig.allowedFunctionNames';
  switch (mode) {
    case 'NONE':
      return { type: 'none' };
    case 'ANY': {
      const only = allowed.length === 1 ? allowed[0] : undefined;
      if (only !== undefined) return { type: 'tool', name: only };
      if (allowed.length > 1) warnings.add('approximated', allowedPath, 'any of the tools');
      return { type: 'required' };
    }
    case 'VALIDATED':
      // Calls are schema-checked and optional: the closest canonical choice is auto.
      warnings.add('approximated', 'toolConfig.functionCallingConfig.mode', 'VALIDATED sent as auto');
      return { type: 'auto' };
    case 'AUTO':
      if (allowed.length > 0) warnings.add('approximated', allowedPath, 'all tools allowed');
      return { type: 'auto' };
    default:
      return undefined;
  }
}

type GenerationFields = Pick<
  CanonicalRequest,
  | 'maxOutputTokens'
  | 'temperature'
  | 'topP'
  | 'topK'
  | 'stop'
  | 'seed'
  | 'presencePenalty'
  | 'frequencyPenalty'
  | 'reasoning'
  | 'responseFormat'
>;

/** Fields Gemini clients may set that mean something no canonical field can hold. */
const DROPPED_CONFIG = [
  'speechConfig',
  'responseLogprobs',
  'logprobs',
  'mediaResolution',
  'audioTimestamp',
  'routingConfig',
  'modelSelectionConfig',
  'enableAffectiveDialog',
  'enableEnhancedCivicAnswers',
  'imageConfig',
];

export function decodeGenerationConfig(config: JsonObject, warnings: TransformWarnings): GenerationFields {
  const out: GenerationFields = {};
  for (const key of GENERATION_NUMBERS) {
    const value = numberField(config, key);
    if (value !== undefined) out[key] = value;
  }
  const stop = stringArrayField(config, 'stopSequences');
  if (stop && stop.length > 0) out.stop = stop;
  const candidates = numberField(config, 'candidateCount');
  if (candidates !== undefined && candidates > 1)
    warnings.add('unsupported', 'generationConfig.candidateCount');
  const modalities = stringArrayField(config, 'responseModalities');
  if (modalities?.some((m) => m.toUpperCase() !== 'TEXT'))
    warnings.add('unsupported', 'generationConfig.responseModalities');
  for (const key of DROPPED_CONFIG) {
    if (hasField(config, key)) warnings.add('dropped', `generationConfig.${key}`);
  }
  const reasoning = decodeThinking(objectField(config, 'thinkingConfig'));
  if (reasoning) out.reasoning = reasoning;
  const format = decodeResponseFormat(config, warnings);
  if (format) out.responseFormat = format;
  return out;
}

const EFFORTS = new Set<string>(['minimal', 'low', 'medium', 'high']);

/** thinkingBudget: 0 turns thinking off, -1 lets the model decide; thinkingLevel (Gemini 3) is an effort. */
function decodeThinking(thinking: JsonObject | undefined): ReasoningConfig | undefined {
  if (thinking === undefined) return undefined;
  const budget = numberField(thinking, 'thinkingBudget');
  const level = stringField(thinking, 'thinkingLevel')?.toLowerCase();
  const include = field(thinking, 'includeThoughts');
  const reasoning: ReasoningConfig = { enabled: budget !== 0 };
  if (budget !== undefined && budget > 0) reasoning.budgetTokens = budget;
  if (level !== undefined && EFFORTS.has(level)) reasoning.effort = level as ReasoningEffort;
  if (typeof include === 'boolean') reasoning.includeThoughts = include;
  return reasoning;
}

function decodeResponseFormat(config: JsonObject, warnings: TransformWarnings): ResponseFormat | undefined {
  const mime = stringField(config, 'responseMimeType')?.toLowerCase();
  const jsonSchema = asObject(field(config, 'responseJsonSchema'));
  const schema =
    jsonSchema ??
    (hasField(config, 'responseSchema') ? fromGeminiSchema(field(config, 'responseSchema')) : undefined);
  if (mime === 'text/x.enum') {
    warnings.add('unsupported', 'generationConfig.responseMimeType', 'text/x.enum');
    return undefined;
  }
  if (schema !== undefined) return { type: 'json-schema', schema };
  if (mime === 'application/json') return { type: 'json-object' };
  if (mime === 'text/plain') return { type: 'text' };
  if (mime !== undefined) warnings.add('unsupported', 'generationConfig.responseMimeType', mime);
  return undefined;
}
