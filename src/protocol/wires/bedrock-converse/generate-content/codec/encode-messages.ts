/**
 * Canonical messages to Converse `messages`. Converse content blocks are keyed by what they hold
 * (`{"text"}`, `{"image"}`, `{"toolUse"}`, `{"toolResult"}`, `{"reasoningContent"}` …), turns must
 * alternate between user and assistant (consecutive turns of one role are merged), and blank text
 * is refused. Only Converse's own reasoning goes back upstream: a model verifies only what it signed.
 */
import type { ContentPart, ReasoningPart, ToolResultPart } from '../../../../canonical/parts';
import type { CanonicalMessage } from '../../../../canonical/request';
import { argumentsObject } from '../../../../canonical/tool-arguments';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { encodeDocument, encodeImage } from './media';

export interface EncodedMessages {
  messages: JsonObject[];
  /** Tool names the history's toolUse blocks use, for the toolConfig Converse then requires. */
  toolNames: string[];
  hasToolResults: boolean;
}

interface EncodeState {
  warnings: TransformWarnings;
  documents: number;
  toolNames: Set<string>;
  hasToolResults: boolean;
}

export function encodeMessages(messages: CanonicalMessage[], warnings: TransformWarnings): EncodedMessages {
  const state: EncodeState = { warnings, documents: 0, toolNames: new Set(), hasToolResults: false };
  const out: JsonObject[] = [];
  let last: { role: string; content: JsonObject[] } | undefined;
  for (const message of messages) {
    const content =
      message.role === 'user'
        ? encodeUserParts(message.parts, state)
        : encodeAssistantParts(message.parts, state);
    if (content.length === 0) continue;
    if (last?.role === message.role) {
      last.content.push(...content);
      continue;
    }
    last = { role: message.role, content };
    out.push(last);
  }
  return { messages: out, toolNames: [...state.toolNames], hasToolResults: state.hasToolResults };
}

function encodeInputPart(part: ContentPart, state: EncodeState): JsonObject | undefined {
  switch (part.type) {
    case 'text':
      return part.text.trim() === '' ? undefined : { text: part.text };
    case 'image':
      return encodeImage(part, state.warnings);
    case 'document':
      return encodeDocument(part, state.documents++, state.warnings);
    default:
      return undefined;
  }
}

function encodeUserParts(parts: ContentPart[], state: EncodeState): JsonObject[] {
  // Claude models behind Converse want a turn's tool results before anything else in it.
  const results: JsonObject[] = [];
  const others: JsonObject[] = [];
  for (const part of parts) {
    if (part.type === 'tool-result') {
      results.push(encodeToolResult(part, state));
    } else if (part.type === 'reasoning' || part.type === 'tool-call') {
      state.warnings.add('dropped', 'messages.parts', `${part.type} in a user turn`);
    } else {
      const block = encodeInputPart(part, state);
      if (block) others.push(block);
    }
  }
  return [...results, ...others];
}

function encodeToolResult(part: ToolResultPart, state: EncodeState): JsonObject {
  state.hasToolResults = true;
  const content: JsonObject[] = [];
  for (const item of part.content) {
    const block = encodeInputPart(item, state);
    if (block) content.push(block);
  }
  const result: JsonObject = { toolUseId: part.callId, content };
  if (part.isError === true) result['status'] = 'error';
  return { toolResult: result };
}

function encodeAssistantParts(parts: ContentPart[], state: EncodeState): JsonObject[] {
  const blocks: JsonObject[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        if (part.thoughtSignature !== undefined) state.warnings.add('dropped', 'messages.thoughtSignature');
        if (part.text.trim() !== '') blocks.push({ text: part.text });
        break;
      case 'reasoning': {
        const block = encodeReasoning(part, state.warnings);
        if (block) blocks.push(block);
        break;
      }
      case 'tool-call':
        if (part.thoughtSignature !== undefined) state.warnings.add('dropped', 'messages.thoughtSignature');
        state.toolNames.add(part.name);
        blocks.push({
          toolUse: {
            toolUseId: part.id,
            name: part.name,
            input: argumentsObject(part.arguments, state.warnings, 'messages.toolUse.input'),
          },
        });
        break;
      default:
        state.warnings.add('dropped', 'messages.parts', `${part.type} in an assistant turn`);
    }
  }
  return blocks;
}

function encodeReasoning(part: ReasoningPart, warnings: TransformWarnings): JsonObject | undefined {
  if (part.origin === 'bedrock-converse' && part.redactedData !== undefined) {
    return { reasoningContent: { redactedContent: part.redactedData } };
  }
  if (part.origin === 'bedrock-converse' && part.signature !== undefined) {
    return { reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } };
  }
  warnings.add(
    'dropped',
    'messages.reasoning',
    part.origin === 'bedrock-converse'
      ? 'unsigned reasoning is not sent back'
      : `reasoning of ${part.origin ?? 'an unknown provider'} cannot be verified by this upstream`,
  );
  return undefined;
}
