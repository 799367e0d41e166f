/**
 * Converse content blocks to canonical parts, for request messages and, through the same code, the
 * message of a response. A block is a one-key object named after what it holds.
 */
import type {
  ContentPart,
  DocumentPart,
  ImagePart,
  ReasoningPart,
  TextPart,
  ToolResultPart,
} from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asArray, asObject, objectAt, objectsAt, stringAt, type JsonObject } from '../../../../json-access';
import { decodeDocument, decodeImage } from './media';

/** The objects of an array value (anything else reads as none). */
export function blocksOf(value: unknown): JsonObject[] {
  const out: JsonObject[] = [];
  for (const item of asArray(value) ?? []) {
    const block = asObject(item);
    if (block) out.push(block);
  }
  return out;
}

export function decodeBlocks(value: unknown, path: string, warnings: TransformWarnings): ContentPart[] {
  const parts: ContentPart[] = [];
  blocksOf(value).forEach((block, i) => parts.push(...decodeBlock(block, `${path}[${i}]`, warnings)));
  return parts;
}

function decodeBlock(block: JsonObject, path: string, warnings: TransformWarnings): ContentPart[] {
  const text = stringAt(block, 'text');
  if (text !== undefined) return [{ type: 'text', text }];
  const image = objectAt(block, 'image');
  if (image) return decodeImage(image, `${path}.image`, warnings);
  const document = objectAt(block, 'document');
  if (document) return decodeDocument(document, `${path}.document`, warnings);
  const toolUse = objectAt(block, 'toolUse');
  if (toolUse) {
    return [
      {
        type: 'tool-call',
        id: stringAt(toolUse, 'toolUseId') ?? '',
        name: stringAt(toolUse, 'name') ?? '',
        arguments: JSON.stringify(toolUse['input'] ?? {}),
      },
    ];
  }
  const toolResult = objectAt(block, 'toolResult');
  if (toolResult) return [decodeToolResult(toolResult, `${path}.toolResult`, warnings)];
  const reasoning = objectAt(block, 'reasoningContent');
  if (reasoning) return decodeReasoning(reasoning);
  // cachePoint, guardContent, citationsContent, video and block kinds newer than this decoder.
  warnings.add('unsupported', path, `content block ${Object.keys(block)[0] ?? '(empty)'}`);
  return [];
}

function decodeReasoning(block: JsonObject): ReasoningPart[] {
  const redacted = stringAt(block, 'redactedContent');
  if (redacted !== undefined) {
    return [{ type: 'reasoning', text: '', redactedData: redacted, origin: 'bedrock-converse' }];
  }
  const reasoningText = objectAt(block, 'reasoningText');
  const part: ReasoningPart = {
    type: 'reasoning',
    text: stringAt(reasoningText, 'text') ?? '',
    origin: 'bedrock-converse',
  };
  const signature = stringAt(reasoningText, 'signature');
  if (signature !== undefined && signature !== '') part.signature = signature;
  return [part];
}

function decodeToolResult(block: JsonObject, path: string, warnings: TransformWarnings): ToolResultPart {
  const content: (TextPart | ImagePart | DocumentPart)[] = [];
  objectsAt(block, 'content').forEach((item, i) => {
    const json = item['json'];
    if (json !== undefined) {
      // JSON results have no canonical kind of their own: the tool's output as JSON text.
      content.push({ type: 'text', text: JSON.stringify(json) });
      return;
    }
    for (const part of decodeBlock(item, `${path}.content[${i}]`, warnings)) {
      if (part.type === 'text' || part.type === 'image' || part.type === 'document') content.push(part);
      else warnings.add('unsupported', path, `${part.type} inside a tool result`);
    }
  });
  const part: ToolResultPart = { type: 'tool-result', callId: stringAt(block, 'toolUseId') ?? '', content };
  if (stringAt(block, 'status') === 'error') part.isError = true;
  return part;
}

/** The system blocks' text (guard content and cache points hold none). */
export function decodeSystem(value: unknown, warnings: TransformWarnings): TextPart[] {
  const parts: TextPart[] = [];
  blocksOf(value).forEach((block, i) => {
    const text = stringAt(block, 'text');
    if (text !== undefined) parts.push({ type: 'text', text });
    else warnings.add('unsupported', `system[${i}]`, `system block ${Object.keys(block)[0] ?? '(empty)'}`);
  });
  return parts;
}
