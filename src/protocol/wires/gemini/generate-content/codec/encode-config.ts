/** Canonical tools, tool choice and sampling/reasoning/format settings -> Gemini request fields. */
import { EFFORT_BUDGET } from '../../../../canonical/reasoning-budget';
import type {
  CanonicalRequest,
  CanonicalTool,
  ReasoningConfig,
  ToolChoice,
} from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { GENERATION_NUMBERS } from './same-name-fields';
import { toGeminiSchema } from './schema-subset';

export function encodeTools(tools: CanonicalTool[], warnings: TransformWarnings): JsonObject[] | undefined {
  if (tools.length === 0) return undefined;
  const declarations = tools.map((tool, i) => {
    const declaration: JsonObject = { name: tool.name };
    if (tool.description !== undefined) declaration['description'] = tool.description;
    const parameters = toGeminiSchema(tool.parameters, warnings, `tools[${i}].parameters`);
    // The API rejects an OBJECT without properties ("should be non-empty for OBJECT type"); a tool
    // without arguments simply has no `parameters`.
    const properties = asObject(parameters['properties']);
    if (properties !== undefined && Object.keys(properties).length > 0)
      declaration['parameters'] = parameters;
    else if (parameters['type'] !== undefined && parameters['type'] !== 'OBJECT')
      declaration['parameters'] = parameters;
    if (tool.strict === true) warnings.add('dropped', `tools[${i}].strict`);
    return declaration;
  });
  return [{ functionDeclarations: declarations }];
}

export function encodeToolConfig(choice: ToolChoice | undefined): JsonObject | undefined {
  switch (choice?.type) {
    case undefined:
      return undefined;
    case 'auto':
      return { functionCallingConfig: { mode: 'AUTO' } };
    case 'none':
      return { functionCallingConfig: { mode: 'NONE' } };
    case 'required':
      return { functionCallingConfig: { mode: 'ANY' } };
    case 'tool':
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  }
}

export function encodeGenerationConfig(
  request: CanonicalRequest,
  warnings: TransformWarnings,
): JsonObject | undefined {
  const config: JsonObject = {};
  for (const key of GENERATION_NUMBERS) if (request[key] !== undefined) config[key] = request[key];
  if (request.stop && request.stop.length > 0) config['stopSequences'] = request.stop;

  const format = request.responseFormat;
  if (format?.type === 'text') config['responseMimeType'] = 'text/plain';
  else if (format?.type === 'json-object') config['responseMimeType'] = 'application/json';
  else if (format?.type === 'json-schema') {
    // `responseJsonSchema` takes full JSON Schema, unlike `responseSchema`'s OpenAPI subset.
    config['responseMimeType'] = 'application/json';
    config['responseJsonSchema'] = format.schema;
    if (format.description !== undefined) warnings.add('dropped', 'responseFormat.description');
  }

  if (request.reasoning) config['thinkingConfig'] = encodeThinking(request.reasoning);
  return Object.keys(config).length > 0 ? config : undefined;
}

/** Off is a budget of 0; on without a budget or effort is -1, the model's own (dynamic) choice. */
function encodeThinking(reasoning: ReasoningConfig): JsonObject {
  const thinking: JsonObject = {};
  if (!reasoning.enabled) thinking['thinkingBudget'] = 0;
  else if (reasoning.budgetTokens !== undefined) thinking['thinkingBudget'] = reasoning.budgetTokens;
  else if (reasoning.effort !== undefined) thinking['thinkingBudget'] = EFFORT_BUDGET[reasoning.effort];
  else thinking['thinkingBudget'] = -1;
  if (reasoning.includeThoughts !== undefined) thinking['includeThoughts'] = reasoning.includeThoughts;
  return thinking;
}
