/** Claude `tools` and `tool_choice`, both ways. */
import type { CanonicalRequest, CanonicalTool, ToolChoice } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject, stringAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import type { DecodeState } from './decode-state';
import { noteCacheControl } from './decode-state';

export function decodeTools(value: unknown, state: DecodeState): CanonicalTool[] {
  if (!Array.isArray(value)) return [];
  const tools: CanonicalTool[] = [];
  (value as unknown[]).forEach((item, i) => {
    const tool = asObject(item);
    const path = `tools[${i}]`;
    if (!tool) return;
    noteCacheControl(tool, path, state);
    const type = stringAt(tool, 'type');
    // Server tools (web_search_20250305, bash_20250124, text_editor_…) run at Anthropic: nothing to map them to.
    if (type !== undefined && type !== 'custom') {
      state.warnings.add('unsupported', path, `server tool ${type}`);
      return;
    }
    const decoded: CanonicalTool = {
      name: stringAt(tool, 'name') ?? '',
      parameters: asObject(tool['input_schema']) ?? { type: 'object' },
    };
    const description = stringAt(tool, 'description');
    if (description !== undefined) decoded.description = description;
    if (typeof tool['strict'] === 'boolean') decoded.strict = tool['strict'];
    tools.push(decoded);
  });
  return tools;
}

/** Sets `toolChoice` and `parallelToolCalls` on the request from Claude's `tool_choice`. */
export function decodeToolChoice(value: unknown, request: CanonicalRequest): void {
  const choice = asObject(value);
  if (!choice) return;
  const type = stringAt(choice, 'type');
  let decoded: ToolChoice | undefined;
  if (type === 'auto') decoded = { type: 'auto' };
  else if (type === 'any') decoded = { type: 'required' };
  else if (type === 'none') decoded = { type: 'none' };
  else if (type === 'tool') decoded = { type: 'tool', name: stringAt(choice, 'name') ?? '' };
  if (decoded) request.toolChoice = decoded;
  const disable = choice['disable_parallel_tool_use'];
  if (typeof disable === 'boolean') request.parallelToolCalls = !disable;
}

export function encodeTools(tools: CanonicalTool[], warnings: TransformWarnings): JsonObject[] {
  return tools.map((tool) => {
    // Claude requires an object schema; a client may leave `type` out of an argument-less tool.
    const schema = { ...tool.parameters };
    if (schema['type'] === undefined) schema['type'] = 'object';
    const encoded: JsonObject = { name: tool.name, input_schema: schema };
    if (tool.description !== undefined) encoded['description'] = tool.description;
    // Claude's `strict` needs the structured-outputs beta; OpenAI clients send it on every tool.
    if (tool.strict === true) warnings.add('dropped', 'tools.strict');
    return encoded;
  });
}

export function encodeToolChoice(request: CanonicalRequest): JsonObject | undefined {
  const choice = request.toolChoice;
  const disableParallel = request.parallelToolCalls === false;
  if (choice === undefined)
    return disableParallel ? { type: 'auto', disable_parallel_tool_use: true } : undefined;
  let encoded: JsonObject;
  switch (choice.type) {
    case 'auto':
      encoded = { type: 'auto' };
      break;
    case 'none':
      return { type: 'none' };
    case 'required':
      encoded = { type: 'any' };
      break;
    case 'tool':
      encoded = { type: 'tool', name: choice.name };
      break;
  }
  if (disableParallel) encoded['disable_parallel_tool_use'] = true;
  return encoded;
}
