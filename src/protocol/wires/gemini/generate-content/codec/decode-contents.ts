/**
 * Gemini `contents` -> canonical messages. Also opens the state gproxy sealed into
 * `thoughtSignature`s of earlier answers (canonical/opaque.ts) back into the original reasoning parts.
 */
import { SKIP_THOUGHT_SIGNATURE } from './encode-contents';
import { isSealed, unseal } from '../../../../canonical/opaque';
import type {
  ContentPart,
  DocumentPart,
  ImagePart,
  ReasoningPart,
  TextPart,
  ToolResultPart,
} from '../../../../canonical/parts';
import type { CanonicalMessage } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { arrayField, field, hasField, objectField, stringField } from './fields';
import { decodeFileData, decodeInlineData } from './media';
import { argsToText } from './tool-args';

interface CallRecord {
  id: string;
  name: string;
  /** Index of the content that made the call. */
  turn: number;
  answered: boolean;
}

/** Decoding state that spans messages: tool calls not yet answered, for results without ids. */
interface Conversation {
  calls: CallRecord[];
  warnings: TransformWarnings;
}

/** A wire part with where it sits in `contents`, for ids and warning paths. */
interface WirePart {
  part: JsonObject;
  mi: number;
  pi: number;
}

/**
 * Consecutive contents of one role are one canonical message: streaming clients (the Gemini SDKs'
 * chat helpers) record one model content per chunk, and sealed state must be matched with the
 * thought parts shown in the other chunks of the same answer.
 */
export function decodeContents(contents: unknown[], warnings: TransformWarnings): CanonicalMessage[] {
  const groups: { role: CanonicalMessage['role']; parts: WirePart[] }[] = [];
  contents.forEach((item, mi) => {
    const content = asObject(item);
    if (content === undefined) return;
    // `function` was the role of function responses in early Gemini versions; they are user turns now.
    const role = stringField(content, 'role') === 'model' ? 'assistant' : 'user';
    const parts: WirePart[] = [];
    (arrayField(content, 'parts') ?? []).forEach((p, pi) => {
      const part = asObject(p);
      if (part) parts.push({ part, mi, pi });
    });
    const last = groups[groups.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else groups.push({ role, parts });
  });
  const conversation: Conversation = { calls: [], warnings };
  const messages: CanonicalMessage[] = [];
  for (const group of groups) {
    const parts = decodeParts(group.parts, conversation);
    if (parts.length > 0) messages.push({ role: group.role, parts });
  }
  return messages;
}

/** Parts of one message, in order, with unsealed reasoning put back where it was shown. */
function decodeParts(wireParts: WirePart[], conversation: Conversation): ContentPart[] {
  const { warnings } = conversation;
  const out: ContentPart[] = [];
  const unsealed: ReasoningPart[] = [];
  const toolSignatures: { callId: string; signature: string }[] = [];
  const hasSeal = wireParts.some((p) => isSealed(field(p.part, 'thoughtSignature')));
  /** Where the display copies of sealed reasoning were: the reasoning goes back there. */
  let anchor: number | undefined;

  for (const { part, mi, pi } of wireParts) {
    const path = `contents[${mi}].parts[${pi}]`;
    let signature = stringField(part, 'thoughtSignature');
    // Google's placeholder carries no state: a request encoder adds it again where needed.
    if (signature === SKIP_THOUGHT_SIGNATURE) signature = undefined;
    if (signature !== undefined && isSealed(signature)) {
      const state = unseal(signature);
      if (state?.t === 'reasoning') unsealed.push(...state.parts);
      else if (state?.t === 'tool-signature') toolSignatures.push(state);
      else warnings.add('dropped', `${path}.thoughtSignature`, 'damaged gproxy state');
      signature = undefined;
    }
    const withSignature = signature === undefined ? {} : { thoughtSignature: signature };
    const text = stringField(part, 'text');

    if (field(part, 'thought') === true && (text !== undefined || signature !== undefined)) {
      // Shown copies of sealed foreign reasoning: the sealed parts replace them.
      if (hasSeal && signature === undefined) {
        anchor ??= out.length;
        continue;
      }
      out.push({
        type: 'reasoning',
        text: text ?? '',
        origin: 'gemini',
        ...(signature ? { signature } : {}),
      });
    } else if (hasField(part, 'functionCall')) {
      const call = objectField(part, 'functionCall');
      const id = stringField(call, 'id') ?? `call_${mi}_${pi}`;
      const name = stringField(call, 'name') ?? '';
      conversation.calls.push({ id, name, turn: mi, answered: false });
      out.push({ type: 'tool-call', id, name, arguments: argsToText(field(call, 'args')), ...withSignature });
    } else if (hasField(part, 'functionResponse')) {
      out.push(decodeFunctionResponse(objectField(part, 'functionResponse') ?? {}, mi, pi, conversation));
    } else if (text !== undefined) {
      // An empty text part matters only as the carrier of a native signature.
      if (text !== '' || signature !== undefined) out.push({ type: 'text', text, ...withSignature });
    } else if (hasField(part, 'inlineData') || hasField(part, 'fileData')) {
      const media = hasField(part, 'inlineData')
        ? decodeInlineData(objectField(part, 'inlineData') ?? {})
        : decodeFileData(objectField(part, 'fileData') ?? {});
      if (media) out.push(media);
      else warnings.add('dropped', path, 'media part without data');
    } else if (hasField(part, 'executableCode') || hasField(part, 'codeExecutionResult')) {
      warnings.add(
        'unsupported',
        `${path}.${hasField(part, 'executableCode') ? 'executableCode' : 'codeExecutionResult'}`,
      );
    } else if (signature !== undefined) {
      out.push({ type: 'text', text: '', thoughtSignature: signature });
    }
    if (hasField(part, 'videoMetadata')) warnings.add('dropped', `${path}.videoMetadata`);
  }

  for (const { callId, signature } of toolSignatures) {
    const call = out.find((p) => p.type === 'tool-call' && p.id === callId);
    if (call?.type === 'tool-call') call.thoughtSignature = signature;
  }
  if (unsealed.length > 0) out.splice(anchor ?? 0, 0, ...unsealed);
  return out;
}

function decodeFunctionResponse(
  response: JsonObject,
  mi: number,
  pi: number,
  conversation: Conversation,
): ToolResultPart {
  const name = stringField(response, 'name');
  const callId = matchCall(stringField(response, 'id'), name, conversation) ?? `call_${mi}_${pi}`;
  const { text, isError } = resultText(objectField(response, 'response') ?? {});
  const content: (TextPart | ImagePart | DocumentPart)[] = [{ type: 'text', text }];
  // Multimodal function responses (Gemini 3) carry media in `functionResponse.parts`.
  for (const [i, item] of (arrayField(response, 'parts') ?? []).entries()) {
    const part = asObject(item);
    const media = hasField(part, 'inlineData')
      ? decodeInlineData(objectField(part, 'inlineData') ?? {})
      : hasField(part, 'fileData')
        ? decodeFileData(objectField(part, 'fileData') ?? {})
        : undefined;
    if (media) content.push(media);
    else conversation.warnings.add('dropped', `contents[${mi}].parts[${pi}].functionResponse.parts[${i}]`);
  }
  return {
    type: 'tool-result',
    callId,
    ...(name !== undefined ? { name } : {}),
    content,
    ...(isError ? { isError: true } : {}),
  };
}

/**
 * The call a result answers: by id when given, else an unanswered call of that name from the most
 * recent turn that has one; within that turn the earliest, since Gemini answers parallel calls in order.
 */
function matchCall(
  id: string | undefined,
  name: string | undefined,
  conversation: Conversation,
): string | undefined {
  const calls = conversation.calls;
  if (id !== undefined) {
    const call = calls.find((c) => c.id === id);
    if (call) call.answered = true;
    return id;
  }
  const open = calls.filter((c) => !c.answered && c.name === name);
  const latestTurn = Math.max(...open.map((c) => c.turn));
  const call = open.find((c) => c.turn === latestTurn);
  if (call === undefined) return undefined;
  call.answered = true;
  return call.id;
}

/**
 * The text of a function response. Google documents `output` for the result and `error` for a
 * failure; tools also send `content`; anything else is the whole object as JSON.
 */
function resultText(response: JsonObject): { text: string; isError: boolean } {
  const output = response['output'];
  if (typeof output === 'string') return { text: output, isError: false };
  const content = response['content'];
  if (typeof content === 'string') return { text: content, isError: false };
  const error = response['error'];
  if (output === undefined && error !== undefined && error !== null) {
    return { text: typeof error === 'string' ? error : JSON.stringify(error), isError: true };
  }
  return { text: JSON.stringify(response), isError: false };
}
