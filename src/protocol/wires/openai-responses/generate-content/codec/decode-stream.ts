/**
 * A Responses SSE stream (from an OpenAI upstream) as canonical stream events. Output items are
 * numbered by `output_index`; each reasoning item, function call and message content part becomes
 * one canonical part. Text that arrives only in a `.done` event (some compatible servers skip
 * deltas) is emitted from there, so nothing depends on deltas being present.
 */
import { GatewayError } from '../../../../../core/errors';
import { tryParseJson } from '../../../../../core/json';
import type { SseEvent } from '../../../../../core/sse';
import type { DecodeResponseContext, StreamDecoder } from '../../../../canonical/codec';
import type { StreamEvent } from '../../../../canonical/stream-events';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject, numberAt, objectAt, objectsAt, stringAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { responsesUsageFromResponse } from '../usage';
import { finishFromResponse } from './finish';
import { SUMMARY_SEPARATOR, reasoningText } from './items';

/** One canonical part being streamed, with how much of its text has gone out. */
interface OpenPart {
  index: number;
  emitted: number;
  ended: boolean;
}

type ItemState =
  | ({ kind: 'reasoning' } & OpenPart)
  | ({ kind: 'call' } & OpenPart)
  | { kind: 'message'; contents: Map<number, OpenPart> }
  | { kind: 'other' };

export function createStreamDecoder(context: DecodeResponseContext): StreamDecoder {
  return new ResponsesStreamDecoder(context.warnings);
}

class ResponsesStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private nextIndex = 0;
  private hasToolCalls = false;
  private readonly items = new Map<number, ItemState>();
  private out: StreamEvent[] = [];

  constructor(private readonly warnings: TransformWarnings) {}

  push(event: SseEvent): StreamEvent[] {
    this.out = [];
    if (this.done) return this.out;
    const parsed = tryParseJson(event.data);
    const data = parsed.ok ? asObject(parsed.value) : undefined;
    if (data) this.handle(stringAt(data, 'type') ?? event.event ?? '', data);
    return this.out;
  }

  end(): StreamEvent[] {
    this.out = [];
    if (!this.done) {
      this.done = true;
      this.fail('The upstream stream ended before the response was complete');
    }
    return this.out;
  }

  private handle(type: string, data: JsonObject): void {
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        this.ensureStarted(objectAt(data, 'response'));
        return;
      case 'response.output_item.added':
        this.ensureStarted(undefined);
        this.itemAdded(outputIndex(data), objectAt(data, 'item'));
        return;
      case 'response.content_part.added':
        this.content(data);
        return;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        this.delta(this.content(data), 'text-delta', stringAt(data, 'delta'));
        return;
      case 'response.output_text.done':
        this.catchUp(this.content(data), 'text-delta', stringAt(data, 'text'));
        return;
      case 'response.refusal.done':
        this.catchUp(this.content(data), 'text-delta', stringAt(data, 'refusal'));
        return;
      case 'response.content_part.done':
        this.contentDone(data);
        return;
      case 'response.function_call_arguments.delta':
        this.delta(this.part(data, 'call'), 'tool-input-delta', stringAt(data, 'delta'));
        return;
      case 'response.function_call_arguments.done':
        this.catchUp(this.part(data, 'call'), 'tool-input-delta', stringAt(data, 'arguments'));
        return;
      case 'response.reasoning_summary_part.added':
        // Summary parts are joined with a separator, as in a non-streamed answer.
        if ((numberAt(data, 'summary_index') ?? 0) > 0) {
          this.delta(this.part(data, 'reasoning'), 'reasoning-delta', SUMMARY_SEPARATOR);
        }
        return;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        this.delta(this.part(data, 'reasoning'), 'reasoning-delta', stringAt(data, 'delta'));
        return;
      case 'response.output_item.done':
        this.itemDone(outputIndex(data), objectAt(data, 'item'));
        return;
      case 'response.output_text.annotation.added':
        this.warnings.add('dropped', 'annotations');
        return;
      case 'response.completed':
      case 'response.incomplete':
        this.finish(objectAt(data, 'response'));
        return;
      case 'response.failed':
        this.done = true;
        this.fail(
          stringAt(objectAt(objectAt(data, 'response'), 'error'), 'message') ??
            'The upstream response failed',
        );
        return;
      case 'error':
        this.done = true;
        this.fail(stringAt(data, 'message') ?? 'The upstream stream failed');
        return;
      default:
        // Pings, built-in tool progress and future event types carry nothing canonical.
        return;
    }
  }

  private ensureStarted(response: JsonObject | undefined): void {
    if (this.started) return;
    this.started = true;
    const event: StreamEvent = {
      type: 'start',
      id: stringAt(response, 'id') ?? '',
      model: stringAt(response, 'model') ?? '',
    };
    const created = numberAt(response, 'created_at');
    if (created !== undefined) event.created = created;
    this.out.push(event);
  }

  private itemAdded(output: number, item: JsonObject | undefined): ItemState {
    const existing = this.items.get(output);
    if (existing) return existing;
    const type = stringAt(item, 'type');
    let state: ItemState;
    if (type === 'reasoning') {
      state = { kind: 'reasoning', ...this.open() };
      const start: StreamEvent = { type: 'reasoning-start', index: state.index };
      const id = stringAt(item, 'id');
      if (id !== undefined) start.itemId = id;
      this.out.push(start);
    } else if (type === 'function_call') {
      state = { kind: 'call', ...this.open() };
      this.hasToolCalls = true;
      this.out.push({
        type: 'tool-call-start',
        index: state.index,
        id: stringAt(item, 'call_id') ?? stringAt(item, 'id') ?? '',
        name: stringAt(item, 'name') ?? '',
      });
      this.delta(state, 'tool-input-delta', stringAt(item, 'arguments'));
    } else if (type === 'message') {
      state = { kind: 'message', contents: new Map() };
    } else {
      this.warnings.add('unsupported', `output[${output}]`, `output item type ${type ?? 'missing'}`);
      state = { kind: 'other' };
    }
    this.items.set(output, state);
    return state;
  }

  private itemDone(output: number, item: JsonObject | undefined): void {
    this.ensureStarted(undefined);
    const state = this.itemAdded(output, item);
    switch (state.kind) {
      case 'reasoning': {
        this.catchUp(state, 'reasoning-delta', item ? reasoningText(item) : undefined);
        const encrypted = stringAt(item, 'encrypted_content');
        if (encrypted !== undefined && !state.ended) {
          this.out.push({ type: 'reasoning-signature', index: state.index, encryptedContent: encrypted });
        }
        this.endPart(state);
        return;
      }
      case 'call':
        this.catchUp(state, 'tool-input-delta', stringAt(item, 'arguments'));
        this.endPart(state);
        return;
      case 'message':
        objectsAt(item, 'content').forEach((content, contentIndex) => {
          const part = this.contentPart(state, contentIndex);
          this.catchUp(part, 'text-delta', stringAt(content, 'text') ?? stringAt(content, 'refusal'));
        });
        for (const part of state.contents.values()) this.endPart(part);
        return;
      case 'other':
        return;
    }
  }

  /** The canonical part of a message's content part, started on first sight. */
  private content(data: JsonObject): OpenPart | undefined {
    const state = this.items.get(outputIndex(data)) ?? this.itemAdded(outputIndex(data), { type: 'message' });
    if (state.kind !== 'message') return undefined;
    const part = objectAt(data, 'part');
    if (stringAt(part, 'type') === 'refusal' || stringAt(data, 'type')?.startsWith('response.refusal')) {
      // Stream events have no refusal marker: the refusal reaches the client as ordinary text.
      this.warnings.add('approximated', 'refusal', 'streamed as text');
    }
    return this.contentPart(state, numberAt(data, 'content_index') ?? 0);
  }

  private contentPart(state: { contents: Map<number, OpenPart> }, contentIndex: number): OpenPart {
    const existing = state.contents.get(contentIndex);
    if (existing) return existing;
    const part = this.open();
    state.contents.set(contentIndex, part);
    this.out.push({ type: 'text-start', index: part.index });
    return part;
  }

  private contentDone(data: JsonObject): void {
    const part = this.content(data);
    const content = objectAt(data, 'part');
    this.catchUp(part, 'text-delta', stringAt(content, 'text') ?? stringAt(content, 'refusal'));
    if (part) this.endPart(part);
  }

  private part(data: JsonObject, kind: 'reasoning' | 'call'): OpenPart | undefined {
    const state = this.items.get(outputIndex(data));
    return state?.kind === kind ? state : undefined;
  }

  private open(): OpenPart {
    return { index: this.nextIndex++, emitted: 0, ended: false };
  }

  private delta(
    part: OpenPart | undefined,
    type: 'text-delta' | 'reasoning-delta' | 'tool-input-delta',
    text: string | undefined,
  ): void {
    if (!part || part.ended || !text) return;
    part.emitted += text.length;
    if (type === 'tool-input-delta') this.out.push({ type, index: part.index, argumentsDelta: text });
    else this.out.push({ type, index: part.index, text });
  }

  /** Emits what a `.done` text has beyond what the deltas already sent. */
  private catchUp(
    part: OpenPart | undefined,
    type: 'text-delta' | 'reasoning-delta' | 'tool-input-delta',
    full: string | undefined,
  ): void {
    if (part && full !== undefined && full.length > part.emitted) {
      this.delta(part, type, full.slice(part.emitted));
    }
  }

  private endPart(part: OpenPart): void {
    if (part.ended) return;
    part.ended = true;
    this.out.push({ type: 'part-end', index: part.index });
  }

  private finish(response: JsonObject | undefined): void {
    this.ensureStarted(response);
    this.done = true;
    for (const state of this.items.values()) {
      if (state.kind === 'reasoning' || state.kind === 'call') this.endPart(state);
      if (state.kind === 'message') for (const part of state.contents.values()) this.endPart(part);
    }
    const usage = responsesUsageFromResponse(response);
    if (usage) this.out.push({ type: 'usage', usage });
    this.out.push({ type: 'finish', reason: finishFromResponse(response, this.hasToolCalls) });
  }

  private fail(message: string): void {
    this.out.push({ type: 'error', error: new GatewayError('upstream_error', message) });
  }
}

function outputIndex(data: JsonObject): number {
  return numberAt(data, 'output_index') ?? 0;
}
