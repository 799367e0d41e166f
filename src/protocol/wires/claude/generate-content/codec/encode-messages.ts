/**
 * Canonical messages to Claude `messages`. Only Claude's own opaque state goes upstream: reasoning
 * of another origin cannot be verified by Claude and is dropped (with a warning). Claude wants the
 * tool_result blocks of a user turn before anything else in it.
 */
import { argumentsObject } from '../../../../canonical/tool-arguments';
import type { CanonicalMessage } from '../../../../canonical/request';
import type { ContentPart, ReasoningPart, ToolResultPart } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { encodeDocument, encodeImage } from './media';

export function encodeMessages(messages: CanonicalMessage[], warnings: TransformWarnings): JsonObject[] {
  const out: JsonObject[] = [];
  for (const message of messages) {
    const content =
      message.role === 'user'
        ? encodeUserParts(message.parts, warnings)
        : encodeAssistantParts(message.parts, warnings);
    // A turn left empty (e.g. only foreign reasoning) is skipped: Claude rejects empty content and
    // merges the consecutive same-role turns this may leave.
    if (content.length === 0) continue;
    // A turn of one text block goes as a plain string, the form Claude clients themselves send.
    const only = content.length === 1 ? content[0] : undefined;
    out.push({ role: message.role, content: only?.['type'] === 'text' ? only['text'] : content });
  }
  return out;
}

/** The blocks of an encoded message (a plain-string content holds no tool or thinking block). */
export function blocksOf(message: JsonObject): JsonObject[] {
  const content = message['content'];
  return Array.isArray(content) ? (content as JsonObject[]) : [];
}

function encodeUserParts(parts: ContentPart[], warnings: TransformWarnings): JsonObject[] {
  const results: JsonObject[] = [];
  const others: JsonObject[] = [];
  for (const part of parts) {
    if (part.type === 'tool-result') results.push(encodeToolResult(part, warnings));
    else if (part.type === 'reasoning' || part.type === 'tool-call') {
      warnings.add('dropped', 'messages.parts', `${part.type} in a user turn`);
    } else {
      const block = encodeInputPart(part, warnings);
      if (block) others.push(block);
    }
  }
  return [...results, ...others];
}

function encodeInputPart(part: ContentPart, warnings: TransformWarnings): JsonObject | undefined {
  switch (part.type) {
    case 'text':
      // Claude rejects empty text blocks.
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'image':
      return encodeImage(part, warnings);
    case 'document':
      return encodeDocument(part, warnings);
    default:
      return undefined;
  }
}

function encodeToolResult(part: ToolResultPart, warnings: TransformWarnings): JsonObject {
  const block: JsonObject = { type: 'tool_result', tool_use_id: part.callId };
  const content: JsonObject[] = [];
  for (const item of part.content) {
    const encoded = encodeInputPart(item, warnings);
    if (encoded) content.push(encoded);
  }
  const only = content.length === 1 ? content[0] : undefined;
  if (only?.['type'] === 'text') block['content'] = only['text'];
  else if (content.length > 0) block['content'] = content;
  if (part.isError === true) block['is_error'] = true;
  return block;
}

function encodeAssistantParts(parts: ContentPart[], warnings: TransformWarnings): JsonObject[] {
  const blocks: JsonObject[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        if (part.thoughtSignature !== undefined) warnings.add('dropped', 'messages.thoughtSignature');
        if (part.text !== '') blocks.push({ type: 'text', text: part.text });
        break;
      case 'reasoning': {
        const block = encodeReasoning(part, warnings);
        if (block) blocks.push(block);
        break;
      }
      case 'tool-call':
        if (part.thoughtSignature !== undefined) warnings.add('dropped', 'messages.thoughtSignature');
        blocks.push({
          type: 'tool_use',
          id: part.id,
          name: part.name,
          input: argumentsObject(part.arguments, warnings, 'messages.tool_use.input'),
        });
        break;
      default:
        warnings.add('dropped', 'messages.parts', `${part.type} in an assistant turn`);
    }
  }
  return blocks;
}

function encodeReasoning(part: ReasoningPart, warnings: TransformWarnings): JsonObject | undefined {
  if (part.origin === 'claude' && part.redactedData !== undefined) {
    return { type: 'redacted_thinking', data: part.redactedData };
  }
  if (part.origin === 'claude' && part.signature !== undefined) {
    return { type: 'thinking', thinking: part.text, signature: part.signature };
  }
  // Claude accepts only thinking it signed; another provider's reasoning cannot go back as history.
  warnings.add('dropped', 'messages.reasoning', 'reasoning without a Claude signature is not sent upstream');
  return undefined;
}
