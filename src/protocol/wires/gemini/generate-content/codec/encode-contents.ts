/** Canonical messages -> Gemini `contents` for a Gemini upstream. */
import { argumentsObject } from '../../../../canonical/tool-arguments';
import type { CanonicalMessage } from '../../../../canonical/request';
import type { ToolResultPart } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { encodeMedia } from './media';

/**
 * Google's documented placeholder for function calls that have no signature (they were made by
 * another provider); Gemini 3 rejects a function call turn without one.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export function encodeContents(messages: CanonicalMessage[], warnings: TransformWarnings): JsonObject[] {
  /** Tool names by call id: functionResponse needs the name, canonical results may only have the id. */
  const callNames = new Map<string, string>();
  const contents: JsonObject[] = [];
  messages.forEach((message, mi) => {
    const parts: JsonObject[] = [];
    /** Media returned by tools, sent after the function responses (see encodeToolResult). */
    const trailing: JsonObject[] = [];
    message.parts.forEach((part, pi) => {
      const path = `messages[${mi}].parts[${pi}]`;
      switch (part.type) {
        case 'text':
          // The API rejects empty text parts; an empty one only matters as a signature carrier.
          if (part.text !== '' || part.thoughtSignature !== undefined) {
            parts.push({ text: part.text, ...signature(part.thoughtSignature) });
          }
          break;
        case 'image':
        case 'document': {
          const media = encodeMedia(part, warnings, path);
          if (media) parts.push(media);
          break;
        }
        case 'reasoning':
          if (part.origin === 'gemini') {
            if (part.text !== '' || part.signature !== undefined) {
              parts.push({ text: part.text, thought: true, ...signature(part.signature) });
            }
          } else {
            // Another provider's reasoning cannot be verified by Gemini, and its text is not Gemini's thought.
            warnings.add('dropped', 'messages[].parts[].reasoning', 'reasoning of another provider');
          }
          break;
        case 'tool-call':
          callNames.set(part.id, part.name);
          // No `id`: Gemini matches responses by name and order, and several Gemini API and Vertex
          // releases reject `functionCall.id` in requests.
          parts.push({
            functionCall: {
              name: part.name,
              args: argumentsObject(part.arguments, warnings, `${path}.arguments`),
            },
            ...signature(part.thoughtSignature),
          });
          break;
        case 'tool-result':
          parts.push(encodeToolResult(part, callNames, trailing, warnings, path));
          break;
      }
    });
    if (message.role === 'assistant') addPlaceholderSignature(parts, warnings);
    if (parts.length + trailing.length === 0) return;
    contents.push({ role: message.role === 'assistant' ? 'model' : 'user', parts: [...parts, ...trailing] });
  });
  return contents;
}

function signature(value: string | undefined): JsonObject {
  return value === undefined ? {} : { thoughtSignature: value };
}

/**
 * Gemini signs only the first function call of a step; when none of a turn's calls is signed they
 * came from another provider, and the first one gets the placeholder.
 */
function addPlaceholderSignature(parts: JsonObject[], warnings: TransformWarnings): void {
  const calls = parts.filter((p) => p['functionCall'] !== undefined);
  const first = calls[0];
  if (first === undefined || calls.some((p) => p['thoughtSignature'] !== undefined)) return;
  first['thoughtSignature'] = SKIP_THOUGHT_SIGNATURE;
  warnings.add(
    'approximated',
    'messages[].parts[].thoughtSignature',
    'tool calls without a Gemini signature',
  );
}

/**
 * `response: {output}` or, for a failed tool, `{error}` (Google's documented keys). Media from the
 * tool goes in parts after the responses: `functionResponse.parts` exists only for Gemini 3.
 */
function encodeToolResult(
  part: ToolResultPart,
  callNames: Map<string, string>,
  trailing: JsonObject[],
  warnings: TransformWarnings,
  path: string,
): JsonObject {
  let name = part.name ?? callNames.get(part.callId);
  if (name === undefined) {
    warnings.add('approximated', `${path}.name`, 'no tool call with this id; name unknown');
    name = 'unknown';
  }
  const texts: string[] = [];
  part.content.forEach((item, i) => {
    if (item.type === 'text') {
      texts.push(item.text);
      return;
    }
    const media = encodeMedia(item, warnings, `${path}.content[${i}]`);
    if (media === undefined) return;
    trailing.push(media);
    warnings.add(
      'approximated',
      'messages[].parts[].content',
      'tool result media sent after the function responses',
    );
  });
  const text = texts.join('\n');
  return { functionResponse: { name, response: part.isError === true ? { error: text } : { output: text } } };
}
