/** `tools`/`tool_choice` (and the legacy `functions`/`function_call`) as canonical tools and choice. */
import type { CanonicalTool, ToolChoice } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asBoolean, asObject, asString, objectAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { objectsOf } from './read';

function decodeFunction(fn: JsonObject): CanonicalTool {
  const tool: CanonicalTool = {
    name: asString(fn['name']) ?? '',
    // A function without parameters takes none: the schema of an empty object says that to every wire.
    parameters: asObject(fn['parameters']) ?? { type: 'object', properties: {} },
  };
  const description = asString(fn['description']);
  if (description !== undefined) tool.description = description;
  const strict = asBoolean(fn['strict']);
  if (strict !== undefined) tool.strict = strict;
  return tool;
}

export function decodeTools(body: JsonObject, warnings: TransformWarnings): CanonicalTool[] {
  const tools: CanonicalTool[] = [];
  for (const [i, tool] of objectsOf(body['tools'])) {
    const fn = objectAt(tool, 'function');
    if (tool['type'] === 'function' && fn) tools.push(decodeFunction(fn));
    else warnings.add('unsupported', `tools[${i}]`, `tool of type ${String(tool['type'])}`);
  }
  const legacy = objectsOf(body['functions']);
  if (legacy.length > 0) {
    warnings.add('approximated', 'functions', 'legacy functions read as tools');
    for (const [, fn] of legacy) tools.push(decodeFunction(fn));
  }
  return tools;
}

export function decodeToolChoice(body: JsonObject, warnings: TransformWarnings): ToolChoice | undefined {
  const choice = body['tool_choice'] ?? body['function_call'];
  const field = body['tool_choice'] !== undefined ? 'tool_choice' : 'function_call';
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice };
  const object = asObject(choice);
  if (!object) {
    warnings.add('dropped', field, `unknown value ${JSON.stringify(choice)}`);
    return undefined;
  }
  // `{type:'function', function:{name}}`; legacy `function_call` is `{name}`.
  const name = asString(objectAt(object, 'function')?.['name']) ?? asString(object['name']);
  if ((object['type'] === 'function' || field === 'function_call') && name !== undefined) {
    return { type: 'tool', name };
  }
  if (object['type'] === 'allowed_tools') {
    // The allowed subset has no canonical form: all tools stay allowed, in the requested mode.
    warnings.add('approximated', 'tool_choice.allowed_tools', 'the allowed subset is not enforced');
    return objectAt(object, 'allowed_tools')?.['mode'] === 'required'
      ? { type: 'required' }
      : { type: 'auto' };
  }
  warnings.add('unsupported', field, `tool choice of type ${String(object['type'])}`);
  return undefined;
}
