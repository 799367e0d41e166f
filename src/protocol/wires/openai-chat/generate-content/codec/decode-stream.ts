/**
 * `chat.completion.chunk` SSE events as canonical stream events. Chat deltas carry no part
 * boundaries, so the decoder makes them: a part stays open while deltas of its kind (or of its
 * tool call) keep coming and ends when another kind starts. The finish is held back until the
 * usage chunk and `[DONE]` that follow `finish_reason`, so that `finish` comes last.
 */
import { GatewayError } from '../../../../../core/errors';
import { tryParseJson } from '../../../../../core/json';
import type { SseEvent } from '../../../../../core/sse';
import type { DecodeResponseContext, StreamDecoder } from '../../../../canonical/codec';
import type { FinishReason } from '../../../../canonical/response';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { asArray, asNumber, asObject, asString, objectAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { chatUsageFromResponse } from '../usage';
import { upstreamErrorOf } from './decode-response';
import { decodeFinishReason } from './finish-reason';
import { argumentsText, objectsOf } from './read';

type TextKind = 'text' | 'refusal' | 'reasoning';

interface ToolState {
  id: string | undefined;
  name: string | undefined;
  /** Arguments that came before the name: the part cannot start without one. */
  pending: string;
  /** The canonical part index, once started. */
  index: number | undefined;
  ended: boolean;
}

interface OpenPart {
  kind: TextKind | 'tool';
  index: number;
  tool?: ToolState;
}

/** Key of the legacy `delta.function_call`, apart from every `tool_calls` index. */
const LEGACY_CALL = -1;

class ChatStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private nextIndex = 0;
  private open: OpenPart | undefined;
  private readonly tools = new Map<number, ToolState>();
  private lastToolKey: number | undefined;
  private finishReason: FinishReason | undefined;
  private sawToolCalls = false;
  private sawRefusal = false;

  constructor(private readonly context: DecodeResponseContext) {}

  push(event: SseEvent): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.done) return out;
    const data = event.data.trim();
    if (data === '[DONE]') {
      this.finish(out);
      return out;
    }
    const parsed = tryParseJson(data);
    const chunk = parsed.ok ? asObject(parsed.value) : undefined;
    // Keep-alives and garbage carry nothing.
    if (!chunk) return out;
    const error = upstreamErrorOf(chunk);
    if (error) {
      this.done = true;
      out.push({ type: 'error', error });
      return out;
    }
    const choices = objectsOf(chunk['choices']);
    const usage = objectAt(chunk, 'usage');
    // Azure opens with a chunk of prompt filter results only (empty id and model): nothing to start on.
    if (!this.started && choices.length === 0 && !usage) return out;
    this.ensureStarted(chunk, out);
    for (const [position, choice] of choices) {
      const index = asNumber(choice['index']) ?? position;
      if (index !== 0) {
        this.context.warnings.add('dropped', `choices[${index}]`, 'only the first choice is kept');
        continue;
      }
      this.takeChoice(choice, out);
    }
    if (usage) {
      const decoded = chatUsageFromResponse(chunk);
      if (decoded) out.push({ type: 'usage', usage: decoded });
    }
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.done) return out;
    if (this.finishReason !== undefined) {
      this.finish(out);
      return out;
    }
    this.done = true;
    out.push({
      type: 'error',
      error: new GatewayError('upstream_bad_response', 'The upstream stream ended before it finished.'),
    });
    return out;
  }

  private ensureStarted(chunk: JsonObject, out: StreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    const start: StreamEvent = {
      type: 'start',
      id: asString(chunk['id']) ?? '',
      model: asString(chunk['model']) ?? '',
    };
    const created = asNumber(chunk['created']);
    if (created !== undefined) start.created = created;
    out.push(start);
  }

  private takeChoice(choice: JsonObject, out: StreamEvent[]): void {
    const delta = objectAt(choice, 'delta') ?? {};
    const reasoning = asString(delta['reasoning_content']) ?? asString(delta['reasoning']);
    if (reasoning) this.appendText('reasoning', reasoning, out);
    const content = asString(delta['content']);
    if (content) this.appendText('text', content, out);
    const refusal = asString(delta['refusal']);
    if (refusal) {
      // Stream events have no refusal flag for text: the refusal reaches the client as text.
      this.context.warnings.add('approximated', 'choices[0].delta.refusal', 'streamed refusal read as text');
      this.sawRefusal = true;
      this.appendText('refusal', refusal, out);
    }
    asArray(delta['tool_calls'])?.forEach((item, position) => {
      const call = asObject(item);
      if (call) this.toolDelta(call, this.toolKey(call, position), out);
    });
    const legacy = objectAt(delta, 'function_call');
    if (legacy) this.toolDelta({ function: legacy }, LEGACY_CALL, out);
    const finish = choice['finish_reason'];
    if (finish !== undefined && finish !== null) {
      this.closeAll(out);
      this.finishReason = decodeFinishReason(finish, this.sawToolCalls, this.sawRefusal);
    }
  }

  private appendText(kind: TextKind, text: string, out: StreamEvent[]): void {
    let open = this.open;
    if (open?.kind !== kind) {
      this.closeOpen(out);
      open = { kind, index: this.nextIndex++ };
      this.open = open;
      out.push(
        kind === 'reasoning'
          ? { type: 'reasoning-start', index: open.index }
          : { type: 'text-start', index: open.index },
      );
    }
    out.push(
      kind === 'reasoning'
        ? { type: 'reasoning-delta', index: open.index, text }
        : { type: 'text-delta', index: open.index, text },
    );
  }

  /** `index` identifies the call; lax upstreams that omit it are followed by id, else by position. */
  private toolKey(call: JsonObject, position: number): number {
    const index = asNumber(call['index']);
    if (index !== undefined) return index;
    const id = asString(call['id']);
    if (id) {
      for (const [key, tool] of this.tools) if (tool.id === id) return key;
      return this.tools.size;
    }
    return this.lastToolKey ?? position;
  }

  private toolDelta(call: JsonObject, key: number, out: StreamEvent[]): void {
    this.lastToolKey = key;
    const fn = objectAt(call, 'function');
    let tool = this.tools.get(key);
    if (!tool) {
      tool = { id: undefined, name: undefined, pending: '', index: undefined, ended: false };
      this.tools.set(key, tool);
      this.sawToolCalls = true;
    }
    // Only the first delta of a call names it; some upstreams repeat id and name, which changes nothing.
    tool.id ??= asString(call['id']) || undefined;
    tool.name ??= asString(fn?.['name']) || undefined;
    const args = argumentsText(fn?.['arguments']) ?? '';
    if (tool.ended) {
      if (args !== '') {
        this.context.warnings.add(
          'dropped',
          'choices[0].delta.tool_calls.function.arguments',
          'arguments after the call ended',
        );
      }
      return;
    }
    if (tool.index === undefined) {
      tool.pending += args;
      if (tool.name !== undefined) this.startTool(tool, out);
      return;
    }
    if (args !== '') out.push({ type: 'tool-input-delta', index: tool.index, argumentsDelta: args });
  }

  private startTool(tool: ToolState, out: StreamEvent[]): void {
    this.closeOpen(out);
    const index = this.nextIndex++;
    tool.index = index;
    this.open = { kind: 'tool', index, tool };
    out.push({ type: 'tool-call-start', index, id: tool.id ?? `call_${index}`, name: tool.name ?? '' });
    if (tool.pending !== '') out.push({ type: 'tool-input-delta', index, argumentsDelta: tool.pending });
    tool.pending = '';
  }

  private closeOpen(out: StreamEvent[]): void {
    if (!this.open) return;
    out.push({ type: 'part-end', index: this.open.index });
    if (this.open.tool) this.open.tool.ended = true;
    this.open = undefined;
  }

  /** Ends the open part, and starts and ends calls that never got a name (so their arguments are not lost). */
  private closeAll(out: StreamEvent[]): void {
    this.closeOpen(out);
    for (const tool of this.tools.values()) {
      if (tool.index !== undefined || tool.ended) continue;
      this.startTool(tool, out);
      this.closeOpen(out);
    }
  }

  private finish(out: StreamEvent[]): void {
    if (!this.started) out.push({ type: 'start', id: '', model: '' });
    this.started = true;
    this.closeAll(out);
    this.done = true;
    // `[DONE]` without a finish_reason: the upstream ended its answer normally all the same.
    const reason = this.finishReason ?? decodeFinishReason(undefined, this.sawToolCalls, this.sawRefusal);
    out.push({ type: 'finish', reason });
  }
}

export function createStreamDecoder(context: DecodeResponseContext): StreamDecoder {
  return new ChatStreamDecoder(context);
}
