/**
 * Canonical stream events as a Responses SSE stream for the client: `response.created`,
 * `response.in_progress`, per item `output_item.added` … `output_item.done` with the content,
 * argument and reasoning-summary events between, then `response.completed` (or `.incomplete`,
 * `.failed`) carrying the whole response. `sequence_number` counts every event from 0.
 */
import type { GatewayError } from '../../../../../core/errors';
import { encodeSseEvent } from '../../../../../core/sse';
import type { EncodeStreamContext, StreamEncoder } from '../../../../canonical/codec';
import type { FinishReason } from '../../../../canonical/response';
import type { StreamEvent } from '../../../../canonical/stream-events';
import type { JsonObject } from '../../../../json-access';
import { mergeUsage } from '../../../../usage';
import type { Usage } from '../../../../usage';
import { statusForFinish } from './finish';
import type { WireStatus } from './finish';
import { responseId, responseObject } from './response-object';
import { StreamItems } from './stream-items';

export function createStreamEncoder(context: EncodeStreamContext): StreamEncoder {
  return new ResponsesStreamEncoder(context);
}

const IN_PROGRESS = { status: 'in_progress', incomplete_details: null, error: null } as const;

class ResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0;
  private started = false;
  private finished = false;
  private id = '';
  private createdAt = 0;
  private usage: Usage | undefined;
  private readonly items: StreamItems;
  private text = '';

  constructor(private readonly context: EncodeStreamContext) {
    this.items = new StreamItems(context, (type, fields) => this.emit(type, fields));
  }

  push(event: StreamEvent): string {
    this.text = '';
    if (this.finished) return '';
    if (event.type !== 'start' && event.type !== 'error') this.start(undefined);
    switch (event.type) {
      case 'start':
        this.start(event);
        break;
      case 'text-start':
        this.items.textStart(event.index);
        break;
      case 'reasoning-start':
        this.items.reasoningStart(event.index, event.itemId, event.redactedData);
        break;
      case 'tool-call-start':
        this.items.toolCallStart(event.index, event.id, event.name);
        break;
      case 'text-delta':
      case 'reasoning-delta':
        this.items.textDelta(event.index, event.text);
        break;
      case 'tool-input-delta':
        this.items.textDelta(event.index, event.argumentsDelta);
        break;
      case 'reasoning-signature':
        this.items.reasoningSignature(event.index, event.signature, event.encryptedContent);
        break;
      case 'thought-signature':
        this.items.thoughtSignature(event.index, event.signature);
        break;
      case 'part-end':
        this.items.partEnd(event.index);
        break;
      case 'usage':
        this.usage = mergeUsage(this.usage, event.usage);
        break;
      case 'finish':
        this.finish(event.reason);
        break;
      case 'error':
        this.error(event.error);
        break;
    }
    return this.text;
  }

  end(): string {
    return '';
  }

  private emit(type: string, fields: JsonObject): void {
    this.text += encodeSseEvent(JSON.stringify({ type, sequence_number: this.sequence++, ...fields }), type);
  }

  private start(event: Extract<StreamEvent, { type: 'start' }> | undefined): void {
    if (this.started) return;
    this.started = true;
    this.id = responseId(event?.id ?? '', this.context.requestId);
    this.createdAt = event?.created ?? this.context.nowSeconds;
    const response = this.response(IN_PROGRESS);
    this.emit('response.created', { response });
    this.emit('response.in_progress', { response });
  }

  private finish(reason: FinishReason): void {
    const status = statusForFinish(reason, this.context.warnings);
    this.items.closeAll(status.status === 'completed' ? 'completed' : 'incomplete');
    this.finished = true;
    const type =
      status.status === 'completed'
        ? 'response.completed'
        : status.status === 'incomplete'
          ? 'response.incomplete'
          : 'response.failed';
    this.emit(type, { response: this.response(status) });
  }

  /** The Responses `error` event (same fields as error-envelopes.ts), numbered in this stream. */
  private error(error: GatewayError): void {
    this.finished = true;
    this.emit('error', {
      code: error.code,
      message: error.message,
      param: error.param ?? null,
      request_id: this.context.requestId,
    });
  }

  private response(status: WireStatus | typeof IN_PROGRESS): JsonObject {
    return responseObject({
      id: this.id,
      createdAt: this.createdAt,
      model: this.context.model,
      output: this.items.output,
      usage: status === IN_PROGRESS ? undefined : this.usage,
      status,
    });
  }
}
