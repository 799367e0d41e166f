/**
 * Canonical system text and turns as Chat Completions `messages`. Tool results leave their user
 * turn as `tool` messages placed right after the assistant's calls (the order OpenAI requires);
 * the rest of that turn follows as a user message.
 */
import type { ContentPart, ReasoningPart, TextPart, ToolCallPart } from '../../../../canonical/parts';
import type { CanonicalMessage, CanonicalRequest } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import type { InputPart } from './decode-content';
import { encodeDocumentPart, encodeImagePart } from './media';

function joinText(parts: TextPart[]): string {
  return parts.map((part) => part.text).join('');
}

function encodeInputParts(
  parts: InputPart[],
  path: string,
  warnings: TransformWarnings,
): string | JsonObject[] {
  // A single text goes out as a plain string: every OpenAI-compatible upstream accepts that.
  const [only] = parts;
  if (only === undefined) return '';
  if (parts.length === 1 && only?.type === 'text') return only.text;
  const out: JsonObject[] = [];
  parts.forEach((part, j) => {
    const field = `${path}[${j}]`;
    let encoded: JsonObject | undefined;
    if (part.type === 'text') encoded = { type: 'text', text: part.text };
    else if (part.type === 'image') encoded = encodeImagePart(part, field, warnings);
    else encoded = encodeDocumentPart(part, field, warnings);
    if (encoded) out.push(encoded);
  });
  return out;
}

function encodeUser(message: CanonicalMessage, path: string, warnings: TransformWarnings): JsonObject[] {
  const out: JsonObject[] = [];
  const input: InputPart[] = [];
  message.parts.forEach((part, j) => {
    if (part.type === 'tool-result') {
      const texts: TextPart[] = [];
      for (const item of part.content) {
        if (item.type === 'text') texts.push(item);
        else input.push(item);
      }
      if (texts.length < part.content.length) {
        // Tool messages hold text only: the tool's images and files follow in the user message.
        warnings.add(
          'approximated',
          `${path}.parts[${j}].content`,
          'tool result media moved to a user message',
        );
      }
      if (part.isError === true) {
        warnings.add('approximated', `${path}.parts[${j}].isError`, 'tool messages have no error flag');
      }
      out.push({ role: 'tool', tool_call_id: part.callId, content: joinText(texts) });
    } else if (part.type === 'text' || part.type === 'image' || part.type === 'document') {
      input.push(part);
    } else {
      warnings.add('dropped', `${path}.parts[${j}]`, `${part.type} in a user turn`);
    }
  });
  if (input.length > 0 || out.length === 0) {
    out.push({ role: 'user', content: encodeInputParts(input, `${path}.parts`, warnings) });
  }
  return out;
}

/** Reasoning text goes back as `reasoning_content` only when it is this wire's own (no foreign provider state). */
function nativeReasoning(part: ReasoningPart): boolean {
  return part.origin === undefined || part.origin === 'openai-chat';
}

function encodeAssistant(message: CanonicalMessage, path: string, warnings: TransformWarnings): JsonObject {
  const texts: TextPart[] = [];
  const refusals: TextPart[] = [];
  const reasoning: string[] = [];
  const calls: ToolCallPart[] = [];
  message.parts.forEach((part: ContentPart, j) => {
    const field = `${path}.parts[${j}]`;
    switch (part.type) {
      case 'text':
        (part.refusal === true ? refusals : texts).push(part);
        return;
      case 'reasoning':
        if (nativeReasoning(part)) reasoning.push(part.text);
        else if (part.text !== '') {
          warnings.add(
            'dropped',
            'reasoning',
            `reasoning of ${part.origin} cannot be verified by this upstream`,
          );
        }
        return;
      case 'tool-call':
        calls.push(part);
        return;
      default:
        warnings.add('dropped', field, `${part.type} in an assistant turn`);
    }
  });
  const out: JsonObject = { role: 'assistant' };
  // `content` stays present (null with tool calls only): strict compatible upstreams require the key.
  out['content'] = texts.length > 0 ? joinText(texts) : calls.length > 0 ? null : '';
  if (refusals.length > 0) out['refusal'] = joinText(refusals);
  const reasoningText = reasoning.join('');
  if (reasoningText !== '') out['reasoning_content'] = reasoningText;
  if (calls.length > 0) {
    out['tool_calls'] = calls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return out;
}

export function encodeMessages(request: CanonicalRequest, warnings: TransformWarnings): JsonObject[] {
  const out: JsonObject[] = [];
  // One system message: several system texts (Claude blocks, Gemini parts) are one instruction.
  if (request.system.length > 0) {
    out.push({ role: 'system', content: request.system.map((part) => part.text).join('\n\n') });
  }
  request.messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    if (message.role === 'user') out.push(...encodeUser(message, path, warnings));
    else out.push(encodeAssistant(message, path, warnings));
  });
  return out;
}
