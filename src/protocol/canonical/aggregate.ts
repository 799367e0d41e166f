/**
 * Stream -> response: folds canonical stream events into a canonical response, for a
 * non-streaming client served by a streaming upstream (and for tests comparing streams).
 */
import { GatewayError } from '../../core/errors';
import { mergeUsage, type Usage } from '../usage';
import type { OutputPart, ReasoningPart, TextPart, ToolCallPart } from './parts';
import type { CanonicalResponse, FinishReason } from './response';
import type { StreamEvent } from './stream-events';

export class StreamAggregator {
  private id = '';
  private model = '';
  private created: number | undefined;
  private readonly parts = new Map<number, OutputPart>();
  private usage: Usage | undefined;
  private finishReason: FinishReason | undefined;
  private stopSequence: string | undefined;
  private failure: GatewayError | undefined;

  push(event: StreamEvent): void {
    switch (event.type) {
      case 'start':
        this.id = event.id;
        this.model = event.model;
        this.created = event.created;
        return;
      case 'text-start':
        this.parts.set(event.index, { type: 'text', text: '' });
        return;
      case 'text-delta': {
        const part = this.partAt<TextPart>(event.index, 'text', () => ({ type: 'text', text: '' }));
        part.text += event.text;
        return;
      }
      case 'reasoning-start': {
        const part: ReasoningPart = { type: 'reasoning', text: '' };
        if (event.itemId !== undefined) part.itemId = event.itemId;
        if (event.redactedData !== undefined) part.redactedData = event.redactedData;
        this.parts.set(event.index, part);
        return;
      }
      case 'reasoning-delta': {
        const part = this.partAt<ReasoningPart>(event.index, 'reasoning', () => ({
          type: 'reasoning',
          text: '',
        }));
        part.text += event.text;
        return;
      }
      case 'reasoning-signature': {
        const part = this.partAt<ReasoningPart>(event.index, 'reasoning', () => ({
          type: 'reasoning',
          text: '',
        }));
        if (event.signature !== undefined) part.signature = event.signature;
        if (event.encryptedContent !== undefined) part.encryptedContent = event.encryptedContent;
        return;
      }
      case 'tool-call-start':
        this.parts.set(event.index, { type: 'tool-call', id: event.id, name: event.name, arguments: '' });
        return;
      case 'tool-input-delta': {
        const part = this.partAt<ToolCallPart>(event.index, 'tool-call', () => ({
          type: 'tool-call',
          id: '',
          name: '',
          arguments: '',
        }));
        part.arguments += event.argumentsDelta;
        return;
      }
      case 'thought-signature': {
        const part = this.parts.get(event.index);
        if (part?.type === 'text' || part?.type === 'tool-call') part.thoughtSignature = event.signature;
        else if (part?.type === 'reasoning') part.signature = event.signature;
        return;
      }
      case 'part-end':
        return;
      case 'usage':
        this.usage = mergeUsage(this.usage, event.usage);
        return;
      case 'finish':
        this.finishReason = event.reason;
        this.stopSequence = event.stopSequence;
        return;
      case 'error':
        this.failure = event.error;
        return;
    }
  }

  /** The whole answer; throws the stream's error if it failed. */
  result(): CanonicalResponse {
    if (this.failure !== undefined) throw this.failure;
    if (this.finishReason === undefined) {
      throw new GatewayError('upstream_bad_response', 'The upstream stream ended without finishing.');
    }
    const parts = [...this.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, part]) => part);
    const response: CanonicalResponse = {
      id: this.id,
      model: this.model,
      parts,
      finishReason: this.finishReason,
    };
    if (this.created !== undefined) response.created = this.created;
    if (this.stopSequence !== undefined) response.stopSequence = this.stopSequence;
    if (this.usage !== undefined) response.usage = this.usage;
    return response;
  }

  private partAt<T extends OutputPart>(index: number, type: T['type'], make: () => T): T {
    const existing = this.parts.get(index);
    if (existing?.type === type) return existing as T;
    const created = make();
    this.parts.set(index, created);
    return created;
  }
}

export function aggregateStream(events: Iterable<StreamEvent>): CanonicalResponse {
  const aggregator = new StreamAggregator();
  for (const event of events) aggregator.push(event);
  return aggregator.result();
}
