/**
 * Converse `toolConfig` (`tools[].toolSpec` with the schema under `inputSchema.json`, and
 * `toolChoice` `{auto:{}}` / `{any:{}}` / `{tool:{name}}`), both ways. Converse has no "none"
 * choice and requires `toolConfig` whenever the conversation holds toolUse or toolResult blocks.
 */
import type { CanonicalRequest, CanonicalTool, ToolChoice } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject, objectAt, objectsAt, stringAt, type JsonObject } from '../../../../json-access';

function encodeTool(tool: CanonicalTool): JsonObject {
  // Converse wants an object schema at the top; a client may leave `type` out of an argument-less tool.
  const schema = { ...tool.parameters };
  if (schema['type'] === undefined) schema['type'] = 'object';
  const spec: JsonObject = { name: tool.name, inputSchema: { json: schema } };
  if (tool.description !== undefined) spec['description'] = tool.description;
  return { toolSpec: spec };
}

function encodeChoice(choice: ToolChoice | undefined): JsonObject | undefined {
  switch (choice?.type) {
    case 'required':
      return { any: {} };
    case 'tool':
      return { tool: { name: choice.name } };
    default:
      // `auto` is Converse's default and not every model accepts the field: leave it out.
      return undefined;
  }
}

/**
 * The `toolConfig` to send, or undefined. `historyToolNames` are the tools the conversation's
 * toolUse blocks name, declared when the request itself has none (Converse rejects such history
 * without a toolConfig).
 */
export function encodeToolConfig(
  request: CanonicalRequest,
  historyToolNames: readonly string[],
  hasToolResults: boolean,
  warnings: TransformWarnings,
): JsonObject | undefined {
  if (request.tools.some((tool) => tool.strict === true)) warnings.add('dropped', 'tools.strict');
  if (request.parallelToolCalls === false) warnings.add('dropped', 'parallelToolCalls');
  const hasHistory = historyToolNames.length > 0 || hasToolResults;
  if (request.tools.length > 0 && request.toolChoice?.type !== 'none') {
    const config: JsonObject = { tools: request.tools.map(encodeTool) };
    const choice = encodeChoice(request.toolChoice);
    if (choice) config['toolChoice'] = choice;
    return config;
  }
  if (request.toolChoice?.type === 'none' && request.tools.length > 0) {
    if (!hasHistory) {
      warnings.add('approximated', 'toolChoice', 'Converse has no "none": tools left out instead');
      return undefined;
    }
    warnings.add('approximated', 'toolChoice', 'Converse has no "none": tools stay declared for the history');
    return { tools: request.tools.map(encodeTool) };
  }
  if (!hasHistory) return undefined;
  warnings.add('approximated', 'tools', 'tools of earlier turns declared for the history');
  const names = historyToolNames.length > 0 ? historyToolNames : ['tool'];
  return { tools: names.map((name) => ({ toolSpec: { name, inputSchema: { json: { type: 'object' } } } })) };
}

/** Reads `toolConfig` into the request's tools and tool choice. */
export function decodeToolConfig(value: unknown, request: CanonicalRequest): void {
  const config = asObject(value);
  if (!config) return;
  for (const tool of objectsAt(config, 'tools')) {
    const spec = objectAt(tool, 'toolSpec');
    if (!spec) continue;
    const decoded: CanonicalTool = {
      name: stringAt(spec, 'name') ?? '',
      parameters: objectAt(objectAt(spec, 'inputSchema'), 'json') ?? { type: 'object' },
    };
    const description = stringAt(spec, 'description');
    if (description !== undefined) decoded.description = description;
    request.tools.push(decoded);
  }
  const choice = objectAt(config, 'toolChoice');
  if (objectAt(choice, 'auto')) request.toolChoice = { type: 'auto' };
  else if (objectAt(choice, 'any')) request.toolChoice = { type: 'required' };
  else if (objectAt(choice, 'tool')) {
    request.toolChoice = { type: 'tool', name: stringAt(objectAt(choice, 'tool'), 'name') ?? '' };
  }
}
