/** Assistant `tool_calls` (and the legacy `function_call`) as canonical tool-call parts. */
import type { ToolCallPart } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject, asString, objectAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { argumentsText, objectsOf } from './read';

/**
 * `idPrefix` makes ids for calls that come without one (legacy `function_call`, lax
 * compatible upstreams), deterministic within the message: `<idPrefix>_<part index>`.
 */
export function decodeToolCalls(
  message: JsonObject,
  path: string,
  idPrefix: string,
  firstPartIndex: number,
  warnings: TransformWarnings,
): ToolCallPart[] {
  const calls: ToolCallPart[] = [];
  for (const [j, call] of objectsOf(message['tool_calls'])) {
    const field = `${path}.tool_calls[${j}]`;
    const type = call['type'];
    const fn = objectAt(call, 'function');
    if ((type !== undefined && type !== 'function') || !fn) {
      warnings.add('unsupported', field, `tool call of type ${String(type)}`);
      continue;
    }
    calls.push({
      type: 'tool-call',
      id: asString(call['id']) ?? `${idPrefix}_${firstPartIndex + calls.length}`,
      name: asString(fn['name']) ?? '',
      arguments: argumentsText(fn['arguments']) ?? '',
    });
  }
  const legacy = asObject(message['function_call']);
  if (legacy) {
    warnings.add('approximated', `${path}.function_call`, 'legacy function_call read as a tool call');
    calls.push({
      type: 'tool-call',
      id: `${idPrefix}_${firstPartIndex + calls.length}`,
      name: asString(legacy['name']) ?? '',
      arguments: argumentsText(legacy['arguments']) ?? '',
    });
  }
  return calls;
}
