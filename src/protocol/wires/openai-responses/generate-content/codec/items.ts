/** Items shared by input and output: reasoning and function_call, read from the Responses wire. */
import { objectsAt, stringAt } from '../../../../json-access';
import type { ReasoningPart, ToolCallPart } from '../../../../canonical/parts';
import type { JsonObject } from '../../../../json-access';

/**
 * Summary parts are joined into one text: the canonical part has one text, and the boundaries only
 * matter for display. Raw `reasoning_text` content (open-weight models) is used when there is no summary.
 */
export const SUMMARY_SEPARATOR = '\n\n';

export function reasoningText(item: JsonObject): string {
  const summary = objectsAt(item, 'summary').map((part) => stringAt(part, 'text') ?? '');
  if (summary.length > 0) return summary.join(SUMMARY_SEPARATOR);
  return objectsAt(item, 'content')
    .map((part) => stringAt(part, 'text') ?? '')
    .join('');
}

/** A native reasoning item (produced by an OpenAI Responses provider). */
export function nativeReasoning(item: JsonObject): ReasoningPart {
  const part: ReasoningPart = { type: 'reasoning', text: reasoningText(item), origin: 'openai-responses' };
  const id = stringAt(item, 'id');
  if (id !== undefined) part.itemId = id;
  const encrypted = stringAt(item, 'encrypted_content');
  if (encrypted !== undefined) part.encryptedContent = encrypted;
  return part;
}

export function functionCall(item: JsonObject): ToolCallPart {
  const args = item['arguments'];
  return {
    type: 'tool-call',
    // `call_id` is what outputs refer to; `id` (fc_…) is only the item's own id.
    id: stringAt(item, 'call_id') ?? stringAt(item, 'id') ?? '',
    name: stringAt(item, 'name') ?? '',
    arguments: typeof args === 'string' ? args : args === undefined ? '' : JSON.stringify(args),
  };
}
