/**
 * Claude content blocks to canonical parts, for request messages (and, through the same code, the
 * blocks of a response). Thinking blocks whose signature gproxy sealed hold another provider's
 * state: they are opened back into that state and never taken for Claude's own thinking.
 */
import { GatewayError } from '../../../../../core/errors';
import { unseal, isSealed } from '../../../../canonical/opaque';
import type {
  ContentPart,
  DocumentPart,
  ImagePart,
  ReasoningPart,
  TextPart,
  ToolResultPart,
} from '../../../../canonical/parts';
import { arrayAt, asObject, stringAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import type { DecodeState } from './decode-state';
import { noteCacheControl } from './decode-state';
import { decodeDocument, decodeImage } from './media';
import { argumentsFromToolInput } from './tool-input';

/** Gemini tool-call signatures sealed into thinking blocks, waiting for their tool_use in the same turn. */
type PendingSignatures = Map<string, string>;

export function decodeContent(content: unknown, path: string, state: DecodeState): ContentPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) {
    throw new GatewayError('invalid_request', `\`${path}\` must be a string or an array of content blocks`, {
      param: path,
    });
  }
  const parts: ContentPart[] = [];
  const pending: PendingSignatures = new Map();
  (content as unknown[]).forEach((item, j) => {
    const block = asObject(item);
    const blockPath = `${path}[${j}]`;
    if (!block) {
      state.warnings.add('dropped', blockPath, 'not a content block');
      return;
    }
    noteCacheControl(block, blockPath, state);
    parts.push(...decodeBlock(block, blockPath, state, pending));
  });
  attachToolSignatures(parts, pending, path, state);
  return parts;
}

function decodeBlock(
  block: JsonObject,
  path: string,
  state: DecodeState,
  pending: PendingSignatures,
): ContentPart[] {
  const type = stringAt(block, 'type');
  switch (type) {
    case 'text':
      return [decodeText(block, path, state)];
    case 'image':
      return optional(decodeImage(block, path, state.warnings));
    case 'document':
      return optional(decodeDocument(block, path, state.warnings));
    case 'tool_use':
      return [
        {
          type: 'tool-call',
          id: stringAt(block, 'id') ?? '',
          name: stringAt(block, 'name') ?? '',
          arguments: argumentsFromToolInput(block['input']),
        },
      ];
    case 'tool_result':
      return [decodeToolResult(block, path, state)];
    case 'thinking':
      return decodeThinking(block, path, state, pending);
    case 'redacted_thinking':
      return [{ type: 'reasoning', text: '', redactedData: stringAt(block, 'data') ?? '', origin: 'claude' }];
    default:
      // server_tool_use, web_search_tool_result, search_result, mcp_*, container_upload …
      state.warnings.add('unsupported', path, `content block type ${type ?? '(none)'}`);
      return [];
  }
}

function optional<T>(part: T | undefined): T[] {
  return part === undefined ? [] : [part];
}

export function decodeText(block: JsonObject, path: string, state: DecodeState): TextPart {
  // Clients echo `citations: null` or `[]`; only real citations carry something we cannot keep.
  if ((arrayAt(block, 'citations')?.length ?? 0) > 0) state.warnings.add('dropped', `${path}.citations`);
  return { type: 'text', text: stringAt(block, 'text') ?? '' };
}

function decodeThinking(
  block: JsonObject,
  path: string,
  state: DecodeState,
  pending: PendingSignatures,
): ContentPart[] {
  const signature = stringAt(block, 'signature');
  const text = stringAt(block, 'thinking') ?? '';
  if (!isSealed(signature)) {
    const part: ReasoningPart = { type: 'reasoning', text, origin: 'claude' };
    if (signature !== undefined && signature !== '') part.signature = signature;
    return [part];
  }
  const sealed = unseal(signature);
  if (sealed?.t === 'reasoning') return sealed.parts.filter(isReasoningPart);
  if (sealed?.t === 'tool-signature') {
    pending.set(sealed.callId, sealed.signature);
    return [];
  }
  state.warnings.add('dropped', `${path}.signature`, 'damaged gproxy-sealed state');
  return [];
}

function isReasoningPart(value: unknown): value is ReasoningPart {
  const part = asObject(value);
  return part?.['type'] === 'reasoning' && typeof part['text'] === 'string';
}

function attachToolSignatures(
  parts: ContentPart[],
  pending: PendingSignatures,
  path: string,
  state: DecodeState,
): void {
  for (const [callId, signature] of pending) {
    const call = parts.find((part) => part.type === 'tool-call' && part.id === callId);
    if (call?.type === 'tool-call') call.thoughtSignature = signature;
    else state.warnings.add('dropped', path, `sealed signature of unknown tool call ${callId}`);
  }
}

function decodeToolResult(block: JsonObject, path: string, state: DecodeState): ToolResultPart {
  const part: ToolResultPart = {
    type: 'tool-result',
    callId: stringAt(block, 'tool_use_id') ?? '',
    content: decodeToolResultContent(block['content'], `${path}.content`, state),
  };
  if (block['is_error'] === true) part.isError = true;
  return part;
}

function decodeToolResultContent(
  content: unknown,
  path: string,
  state: DecodeState,
): (TextPart | ImagePart | DocumentPart)[] {
  if (content === undefined || content === null) return [];
  const parts = decodeContent(content, path, state);
  const kept: (TextPart | ImagePart | DocumentPart)[] = [];
  parts.forEach((part) => {
    if (part.type === 'text' || part.type === 'image' || part.type === 'document') kept.push(part);
    else state.warnings.add('unsupported', path, `${part.type} inside a tool result`);
  });
  return kept;
}
