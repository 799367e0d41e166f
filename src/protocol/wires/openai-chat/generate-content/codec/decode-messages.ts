/**
 * Chat Completions `messages` as canonical system text and turns. System and developer messages
 * become `system`; a run of tool messages becomes the tool-result parts of one user turn, which
 * also takes the user message that follows it (Claude's and Gemini's shape).
 */
import { GatewayError } from '../../../../../core/errors';
import type { OutputPart, TextPart, ToolResultPart } from '../../../../canonical/parts';
import type { CanonicalMessage } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asArray, asObject, asString, objectAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { decodeInputContent, decodeTextContent } from './decode-content';
import { decodeToolCalls } from './decode-tool-calls';
import { objectsOf } from './read';

export interface DecodedMessages {
  system: TextPart[];
  messages: CanonicalMessage[];
}

interface PendingCall {
  id: string;
  name: string;
}

class MessageDecoder {
  readonly system: TextPart[] = [];
  readonly messages: CanonicalMessage[] = [];
  /** The user turn collecting the current run of tool results, until another message kind comes. */
  private toolTurn: CanonicalMessage | undefined;
  /** Calls not yet answered, in order: legacy `function` results are matched to them by name. */
  private unanswered: PendingCall[] = [];

  constructor(private readonly warnings: TransformWarnings) {}

  add(message: JsonObject, i: number): void {
    const path = `messages[${i}]`;
    const role = message['role'];
    if (message['name'] !== undefined && role !== 'function') this.warnings.add('dropped', `${path}.name`);
    switch (role) {
      case 'system':
      case 'developer':
        return this.addSystem(message, path);
      case 'user':
        return this.addUser(message, path);
      case 'assistant':
        return this.addAssistant(message, path, i);
      case 'tool':
        return this.addToolResult(message, path);
      case 'function':
        return this.addFunctionResult(message, path, i);
      default:
        throw new GatewayError('invalid_request', `Unknown message role ${JSON.stringify(role)} in ${path}`, {
          param: `${path}.role`,
        });
    }
  }

  private addSystem(message: JsonObject, path: string): void {
    if (this.messages.length > 0) {
      this.warnings.add('approximated', `${path}.role`, 'system message moved before the conversation');
    }
    this.system.push(...decodeTextContent(message['content'], `${path}.content`, this.warnings));
  }

  private addUser(message: JsonObject, path: string): void {
    const parts = decodeInputContent(message['content'], `${path}.content`, this.warnings);
    if (this.toolTurn) {
      this.toolTurn.parts.push(...parts);
      this.toolTurn = undefined;
      return;
    }
    this.messages.push({ role: 'user', parts });
  }

  private addAssistant(message: JsonObject, path: string, i: number): void {
    this.toolTurn = undefined;
    const parts: OutputPart[] = [];
    // `reasoning_content` (DeepSeek and others; `reasoning` on some) is plain text without provider state.
    const reasoning = asString(message['reasoning_content']) ?? asString(message['reasoning']);
    if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
    const content = message['content'];
    if (typeof content === 'string') {
      if (content !== '') parts.push({ type: 'text', text: content });
    } else {
      for (const [j, part] of objectsOf(content)) {
        const text = asString(part['text']);
        const refusal = asString(part['refusal']);
        if (part['type'] === 'text' && text !== undefined) parts.push({ type: 'text', text });
        else if (part['type'] === 'refusal' && refusal !== undefined) {
          parts.push({ type: 'text', text: refusal, refusal: true });
        } else
          this.warnings.add(
            'dropped',
            `${path}.content[${j}]`,
            `content part of type ${String(part['type'])}`,
          );
      }
    }
    const refusal = asString(message['refusal']);
    if (refusal) parts.push({ type: 'text', text: refusal, refusal: true });
    if (objectAt(message, 'audio')) this.warnings.add('dropped', `${path}.audio`);
    const calls = decodeToolCalls(message, path, `call_${i}`, parts.length, this.warnings);
    for (const call of calls) this.unanswered.push({ id: call.id, name: call.name });
    parts.push(...calls);
    this.messages.push({ role: 'assistant', parts });
  }

  private addToolResult(message: JsonObject, path: string): void {
    const callId = asString(message['tool_call_id']);
    if (callId === undefined) {
      throw new GatewayError('invalid_request', `${path}.tool_call_id is required for tool messages`, {
        param: `${path}.tool_call_id`,
      });
    }
    this.unanswered = this.unanswered.filter((call) => call.id !== callId);
    this.pushResult({
      type: 'tool-result',
      callId,
      content: decodeInputContent(message['content'], `${path}.content`, this.warnings),
    });
  }

  /** The legacy `function` role names the function but no call: it answers the latest open call of that name. */
  private addFunctionResult(message: JsonObject, path: string, i: number): void {
    this.warnings.add('approximated', `${path}.role`, 'legacy function message read as a tool result');
    const name = asString(message['name']) ?? '';
    let match = -1;
    for (let k = this.unanswered.length - 1; k >= 0 && match === -1; k--) {
      if (this.unanswered[k]?.name === name) match = k;
    }
    const callId = this.unanswered[match]?.id ?? `call_${i}_0`;
    if (match !== -1) this.unanswered.splice(match, 1);
    const content = asString(message['content']);
    this.pushResult({
      type: 'tool-result',
      callId,
      name,
      content: content === undefined ? [] : [{ type: 'text', text: content }],
    });
  }

  private pushResult(result: ToolResultPart): void {
    if (!this.toolTurn) {
      this.toolTurn = { role: 'user', parts: [] };
      this.messages.push(this.toolTurn);
    }
    this.toolTurn.parts.push(result);
  }
}

export function decodeMessages(value: unknown, warnings: TransformWarnings): DecodedMessages {
  const list = asArray(value);
  if (!list) {
    throw new GatewayError('invalid_request', 'The request must have `messages`: an array of messages', {
      param: 'messages',
    });
  }
  const decoder = new MessageDecoder(warnings);
  list.forEach((item, i) => {
    const message = asObject(item);
    if (!message) {
      throw new GatewayError('invalid_request', `messages[${i}] must be an object`, {
        param: `messages[${i}]`,
      });
    }
    decoder.add(message, i);
  });
  return { system: decoder.system, messages: decoder.messages };
}
