/**
 * Canonical stream events as a Chat Completions SSE stream: a role chunk first (sent on `start`, so
 * the client gets bytes at once), one chunk per delta, a chunk with `finish_reason`, the usage
 * chunk (`choices: []`) when the client asked for it, then `data: [DONE]`.
 */
import { encodeSseEvent } from '../../../../../core/sse';
import type { EncodeStreamContext, StreamEncoder } from '../../../../canonical/codec';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { encodeOpenAiChatStreamError } from '../../../../error-envelopes';
import type { JsonObject } from '../../../../json-access';
import { emptyUsage, mergeUsage } from '../../../../usage';
import type { Usage } from '../../../../usage';
import { encodeUsage } from './encode-usage';
import { completionId } from './encode-response';
import { encodeFinishReason } from './finish-reason';
import type { ChatFinishReason } from './finish-reason';

class ChatStreamEncoder implements StreamEncoder {
  private id: string;
  private created: number;
  private started = false;
  private closed = false;
  private usage: Usage | undefined;
  /** Canonical part index of each tool call -> its position in `tool_calls` deltas. */
  private readonly toolIndex = new Map<number, number>();

  constructor(private readonly context: EncodeStreamContext) {
    this.id = completionId('', context.requestId);
    this.created = context.nowSeconds;
  }

  push(event: StreamEvent): string {
    if (this.closed) return '';
    if (event.type === 'start') {
      this.id = completionId(event.id, this.context.requestId);
      this.created = event.created ?? this.context.nowSeconds;
      return this.start();
    }
    // Events before `start` (not expected) still get the role chunk first.
    const head = this.started || event.type === 'error' ? '' : this.start();
    return head + this.body(event);
  }

  end(): string {
    if (this.closed) return '';
    this.closed = true;
    return 'data: [DONE]\n\n';
  }

  private body(event: StreamEvent): string {
    const { warnings } = this.context;
    switch (event.type) {
      case 'text-delta':
        return this.delta({ content: event.text });
      case 'reasoning-start':
        if (event.redactedData !== undefined) warnings.add('dropped', 'reasoning.redacted');
        return '';
      case 'reasoning-delta':
        return this.delta({ reasoning_content: event.text });
      case 'reasoning-signature':
        if (event.signature !== undefined) warnings.add('dropped', 'reasoning.signature');
        if (event.encryptedContent !== undefined) warnings.add('dropped', 'reasoning.encrypted_content');
        return '';
      case 'thought-signature':
        warnings.add('dropped', 'thoughtSignature');
        return '';
      case 'tool-call-start': {
        const index = this.toolIndex.size;
        this.toolIndex.set(event.index, index);
        return this.delta({
          tool_calls: [
            { index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } },
          ],
        });
      }
      case 'tool-input-delta': {
        const index = this.toolIndex.get(event.index);
        if (index === undefined || event.argumentsDelta === '') return '';
        return this.delta({ tool_calls: [{ index, function: { arguments: event.argumentsDelta } }] });
      }
      case 'usage':
        this.usage = mergeUsage(this.usage, event.usage);
        return '';
      case 'finish':
        if (event.reason === 'refusal') {
          // The text already went out as content deltas; a stream cannot mark it as a refusal after the fact.
          warnings.add('approximated', 'refusal', 'streamed as content');
        }
        return this.finish(encodeFinishReason(event.reason, warnings));
      case 'error':
        // OpenAI ends a failed stream with the error object and no `[DONE]`.
        this.closed = true;
        return encodeOpenAiChatStreamError(event.error, this.context.requestId);
      case 'start':
      case 'text-start':
      case 'part-end':
        return '';
    }
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    return this.delta({ role: 'assistant', content: '' });
  }

  private chunk(choices: JsonObject[], usage?: JsonObject): string {
    const chunk: JsonObject = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.context.model,
      choices,
    };
    // With include_usage OpenAI puts `usage: null` on every chunk but the last.
    if (this.context.includeUsage) chunk['usage'] = usage ?? null;
    return encodeSseEvent(JSON.stringify(chunk));
  }

  private delta(delta: JsonObject, finishReason: ChatFinishReason | null = null): string {
    return this.chunk([{ index: 0, delta, logprobs: null, finish_reason: finishReason }]);
  }

  private finish(reason: ChatFinishReason): string {
    let out = this.delta({}, reason);
    if (this.context.includeUsage) out += this.chunk([], encodeUsage(this.usage ?? emptyUsage()));
    return out;
  }
}

export function createStreamEncoder(context: EncodeStreamContext): StreamEncoder {
  return new ChatStreamEncoder(context);
}
