/**
 * Canonical messages as the `input` items of a stateless Responses request: the whole conversation
 * every turn, with OpenAI's own reasoning items sent back with their encrypted content.
 */
import type { ReasoningPart, ToolResultPart } from '../../../../canonical/parts';
import type { CanonicalMessage } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { encodeInputContent } from './content';

export function encodeInput(messages: CanonicalMessage[], warnings: TransformWarnings): JsonObject[] {
  const items: JsonObject[] = [];
  messages.forEach((message, messageIndex) => {
    let content: JsonObject[] = [];
    const flush = (): void => {
      if (content.length === 0) return;
      items.push({ type: 'message', role: message.role, content });
      content = [];
    };
    message.parts.forEach((part, partIndex) => {
      const path = `messages[${messageIndex}].parts[${partIndex}]`;
      switch (part.type) {
        case 'text':
          if (message.role === 'user') content.push(encodeInputContent(part));
          else content.push(part.refusal ? { type: 'refusal', refusal: part.text } : outputText(part.text));
          if (part.thoughtSignature !== undefined) warnings.add('dropped', `${path}.thoughtSignature`);
          return;
        case 'image':
        case 'document':
          if (message.role === 'user') content.push(encodeInputContent(part));
          else warnings.add('dropped', path, `${part.type} in an assistant message`);
          return;
        case 'tool-call':
          flush();
          items.push({ type: 'function_call', call_id: part.id, name: part.name, arguments: part.arguments });
          if (part.thoughtSignature !== undefined) warnings.add('dropped', `${path}.thoughtSignature`);
          return;
        case 'tool-result':
          flush();
          items.push(functionCallOutput(part, path, warnings));
          return;
        case 'reasoning': {
          const item = reasoningItem(part, path, warnings);
          if (item) {
            flush();
            items.push(item);
          }
          return;
        }
      }
    });
    flush();
  });
  return items;
}

function outputText(text: string): JsonObject {
  return { type: 'output_text', text, annotations: [] };
}

function functionCallOutput(part: ToolResultPart, path: string, warnings: TransformWarnings): JsonObject {
  // The wire has no error flag: the tool's own text has to say it failed.
  if (part.isError) warnings.add('approximated', `${path}.isError`, 'sent as a plain output');
  const only = part.content.length === 1 ? part.content[0] : undefined;
  let output: string | JsonObject[];
  if (part.content.length === 0) output = '';
  else if (only?.type === 'text') output = only.text;
  else output = part.content.map((content) => encodeInputContent(content));
  return { type: 'function_call_output', call_id: part.callId, output };
}

/** Only OpenAI's own reasoning can be replayed: other providers' state cannot be verified here. */
function reasoningItem(
  part: ReasoningPart,
  path: string,
  warnings: TransformWarnings,
): JsonObject | undefined {
  if (part.origin !== 'openai-responses') {
    warnings.add('dropped', path, `reasoning from ${part.origin ?? 'an unknown provider'}`);
    return undefined;
  }
  if (part.encryptedContent === undefined) {
    // Without its encrypted content, a reasoning item refers to OpenAI's store, which stateless requests lack.
    warnings.add('dropped', path, 'reasoning item without encrypted_content');
    return undefined;
  }
  const item: JsonObject = { type: 'reasoning' };
  if (part.itemId !== undefined) item['id'] = part.itemId;
  item['summary'] = part.text === '' ? [] : [{ type: 'summary_text', text: part.text }];
  item['encrypted_content'] = part.encryptedContent;
  return item;
}
