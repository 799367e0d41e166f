/**
 * The `input` of a Responses request as canonical messages and system text. Items of one side in a
 * row (reasoning, function calls and assistant messages; user messages and function outputs) make
 * one canonical turn, the shape of Claude and Gemini.
 */
import { isSealed, unseal } from '../../../../canonical/opaque';
import type { ContentPart, TextPart } from '../../../../canonical/parts';
import type { CanonicalMessage, Role } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject, isSet, stringAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { decodeContent } from './content';
import { functionCall, nativeReasoning } from './items';

export interface DecodedInput {
  system: TextPart[];
  messages: CanonicalMessage[];
}

class InputBuilder {
  readonly system: TextPart[] = [];
  readonly messages: CanonicalMessage[] = [];
  /** Gemini thoughtSignatures sealed into reasoning items, by the call id they belong to. */
  readonly toolSignatures = new Map<string, { signature: string; path: string }>();

  append(role: Role, parts: ContentPart[]): void {
    if (parts.length === 0) return;
    const last = this.messages[this.messages.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else this.messages.push({ role, parts: [...parts] });
  }
}

export function decodeInput(input: unknown, warnings: TransformWarnings): DecodedInput {
  const builder = new InputBuilder();
  if (typeof input === 'string') {
    builder.append('user', [{ type: 'text', text: input }]);
    return builder;
  }
  if (Array.isArray(input)) {
    input.forEach((value, index) => {
      const item = asObject(value);
      if (item) decodeItem(item, `input[${index}]`, builder, warnings);
    });
  }
  attachToolSignatures(builder, warnings);
  return builder;
}

function decodeItem(
  item: JsonObject,
  path: string,
  builder: InputBuilder,
  warnings: TransformWarnings,
): void {
  const type = stringAt(item, 'type') ?? (isSet(item, 'role') ? 'message' : undefined);
  switch (type) {
    case 'message':
      decodeMessage(item, path, builder, warnings);
      return;
    case 'function_call':
      builder.append('assistant', [functionCall(item)]);
      return;
    case 'function_call_output':
      builder.append('user', [
        {
          type: 'tool-result',
          callId: stringAt(item, 'call_id') ?? '',
          content: decodeContent(item['output'], `${path}.output`, warnings),
        },
      ]);
      return;
    case 'reasoning':
      decodeReasoning(item, path, builder, warnings);
      return;
    case 'item_reference':
      warnings.add('unsupported', path, 'item_reference needs stored items');
      return;
    default:
      // Built-in tool calls and their outputs (web_search_call, computer_call …) only run at OpenAI.
      warnings.add('unsupported', path, `item type ${type ?? 'missing'}`);
  }
}

function decodeMessage(
  item: JsonObject,
  path: string,
  builder: InputBuilder,
  warnings: TransformWarnings,
): void {
  const role = stringAt(item, 'role');
  const content = decodeContent(item['content'], `${path}.content`, warnings);
  if (role === 'system' || role === 'developer') {
    if (builder.messages.length > 0)
      warnings.add('approximated', path, `${role} message moved to instructions`);
    for (const part of content) {
      if (part.type === 'text') builder.system.push({ type: 'text', text: part.text });
      else warnings.add('dropped', `${path}.content`, `${part.type} in a ${role} message`);
    }
    return;
  }
  if (role === 'user') {
    builder.append('user', content);
    return;
  }
  if (role === 'assistant') {
    if (isSet(item, 'phase')) warnings.add('dropped', `${path}.phase`);
    const parts: ContentPart[] = [];
    for (const part of content) {
      if (part.type === 'text') parts.push(part);
      else warnings.add('dropped', `${path}.content`, `${part.type} in an assistant message`);
    }
    builder.append('assistant', parts);
    return;
  }
  warnings.add('unsupported', `${path}.role`, `role ${role ?? 'missing'}`);
}

function decodeReasoning(
  item: JsonObject,
  path: string,
  builder: InputBuilder,
  warnings: TransformWarnings,
): void {
  const encrypted = stringAt(item, 'encrypted_content');
  if (!isSealed(encrypted)) {
    builder.append('assistant', [nativeReasoning(item)]);
    return;
  }
  // State of another provider that gproxy sealed into this item on an earlier turn.
  const state = unseal(encrypted);
  if (state === undefined) {
    warnings.add('dropped', `${path}.encrypted_content`, 'damaged gproxy state');
    return;
  }
  if (state.t === 'reasoning') builder.append('assistant', state.parts);
  else builder.toolSignatures.set(state.callId, { signature: state.signature, path });
}

/** The sealed signature item sits before its function_call; it is matched by call id, wherever the call is. */
function attachToolSignatures(builder: InputBuilder, warnings: TransformWarnings): void {
  if (builder.toolSignatures.size === 0) return;
  for (const message of builder.messages) {
    for (const part of message.parts) {
      if (part.type !== 'tool-call') continue;
      const sealed = builder.toolSignatures.get(part.id);
      if (sealed === undefined) continue;
      part.thoughtSignature = sealed.signature;
      builder.toolSignatures.delete(part.id);
    }
  }
  for (const { path } of builder.toolSignatures.values()) {
    warnings.add('dropped', path, 'signature of a function call not in the input');
  }
}
