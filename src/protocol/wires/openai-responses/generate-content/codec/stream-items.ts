/**
 * The output items of a Responses stream being encoded: which canonical part feeds which item,
 * and the events that open, fill and close each one. Consecutive text parts share one message
 * item (one content part each), as in a non-streamed answer; a message closes when another kind
 * of part starts or the response ends.
 */
import type { EncodeStreamContext } from '../../../../canonical/codec';
import type { JsonObject } from '../../../../json-access';
import type { ItemStatus } from './output-items';
import {
  functionCallItem,
  itemId,
  messageItem,
  reasoningItem,
  reasoningState,
  textContent,
  toolSignatureItem,
} from './output-items';

export type Emit = (type: string, fields: JsonObject) => void;

interface TextState {
  kind: 'text';
  outputIndex: number;
  itemId: string;
  contentIndex: number;
  text: string;
}

interface ReasoningState {
  kind: 'reasoning';
  outputIndex: number;
  itemId: string;
  upstreamItemId: string | undefined;
  text: string;
  summaryOpen: boolean;
  signature?: string;
  encryptedContent?: string;
  redactedData?: string;
}

interface CallState {
  kind: 'call';
  /** -1 while deferred: the item is not announced yet. */
  outputIndex: number;
  itemId: string;
  callId: string;
  name: string;
  text: string;
  signature?: string;
  /**
   * Gemini sends a function call whole and its thoughtSignature after it; the call is announced at
   * its end so that the reasoning item carrying the signature can precede it, as clients replay it.
   */
  deferred: boolean;
}

type PartState = TextState | ReasoningState | CallState;

interface OpenMessage {
  outputIndex: number;
  itemId: string;
  content: JsonObject[];
}

export class StreamItems {
  /** Every item announced so far, in output order, as last emitted. */
  readonly output: JsonObject[] = [];
  private readonly parts = new Map<number, PartState>();
  private message: OpenMessage | undefined;

  constructor(
    private readonly context: EncodeStreamContext,
    private readonly emit: Emit,
  ) {}

  textStart(index: number): void {
    const message = this.message ?? this.openMessage();
    const contentIndex = message.content.length;
    const part = textContent({ text: '' });
    message.content.push(part);
    this.parts.set(index, {
      kind: 'text',
      outputIndex: message.outputIndex,
      itemId: message.itemId,
      contentIndex,
      text: '',
    });
    this.emit('response.content_part.added', {
      item_id: message.itemId,
      output_index: message.outputIndex,
      content_index: contentIndex,
      part,
    });
  }

  reasoningStart(index: number, upstreamItemId: string | undefined, redactedData: string | undefined): void {
    this.closeMessage('completed');
    const outputIndex = this.output.length;
    const state: ReasoningState = {
      kind: 'reasoning',
      outputIndex,
      itemId: itemId('rs', this.context.requestId, outputIndex),
      upstreamItemId,
      text: '',
      summaryOpen: false,
    };
    if (redactedData !== undefined) state.redactedData = redactedData;
    // A native item keeps its upstream id, which its encrypted content is bound to.
    if (this.context.sourceWire === 'openai-responses' && upstreamItemId) state.itemId = upstreamItemId;
    this.parts.set(index, state);
    this.announce(outputIndex, reasoningItem(state.itemId, '', undefined));
  }

  toolCallStart(index: number, callId: string, name: string): void {
    this.closeMessage('completed');
    const deferred = this.context.sourceWire === 'gemini';
    const state: CallState = { kind: 'call', outputIndex: -1, itemId: '', callId, name, text: '', deferred };
    this.parts.set(index, state);
    if (!deferred) this.announceCall(state);
  }

  textDelta(index: number, delta: string): void {
    const state = this.parts.get(index);
    if (!state || delta === '') return;
    state.text += delta;
    switch (state.kind) {
      case 'text':
        this.emit('response.output_text.delta', { ...this.textRef(state), delta, logprobs: [] });
        return;
      case 'reasoning':
        if (!state.summaryOpen) {
          state.summaryOpen = true;
          this.emit('response.reasoning_summary_part.added', {
            ...this.summaryRef(state),
            part: { type: 'summary_text', text: '' },
          });
        }
        this.emit('response.reasoning_summary_text.delta', { ...this.summaryRef(state), delta });
        return;
      case 'call':
        if (!state.deferred) {
          this.emit('response.function_call_arguments.delta', { ...this.itemRef(state), delta });
        }
        return;
    }
  }

  reasoningSignature(
    index: number,
    signature: string | undefined,
    encryptedContent: string | undefined,
  ): void {
    const state = this.parts.get(index);
    if (state?.kind !== 'reasoning') return;
    if (signature !== undefined) state.signature = signature;
    if (encryptedContent !== undefined) state.encryptedContent = encryptedContent;
  }

  thoughtSignature(index: number, signature: string): void {
    const state = this.parts.get(index);
    if (state?.kind === 'call' && state.deferred) state.signature = signature;
    // The sealed-state kinds cover reasoning and function-call signatures only.
    else if (state) this.context.warnings.add('dropped', `parts[${index}].thoughtSignature`);
  }

  partEnd(index: number): void {
    const state = this.parts.get(index);
    if (!state) return;
    this.parts.delete(index);
    if (state.kind === 'text') this.endText(state);
    else if (state.kind === 'reasoning') this.endReasoning(state);
    else this.endCall(state);
  }

  /** Ends whatever is still open when the response ends. */
  closeAll(messageStatus: ItemStatus): void {
    for (const index of [...this.parts.keys()]) this.partEnd(index);
    this.closeMessage(messageStatus);
  }

  private openMessage(): OpenMessage {
    const outputIndex = this.output.length;
    const message = { outputIndex, itemId: itemId('msg', this.context.requestId, outputIndex), content: [] };
    this.message = message;
    this.announce(outputIndex, messageItem(message.itemId, [], 'in_progress'));
    return message;
  }

  private closeMessage(status: ItemStatus): void {
    const message = this.message;
    if (!message) return;
    this.message = undefined;
    this.complete(message.outputIndex, messageItem(message.itemId, message.content, status));
  }

  private endText(state: TextState): void {
    const part = textContent({ text: state.text });
    if (this.message?.itemId === state.itemId) this.message.content[state.contentIndex] = part;
    this.emit('response.output_text.done', { ...this.textRef(state), text: state.text, logprobs: [] });
    this.emit('response.content_part.done', { ...this.textRef(state), part });
  }

  private endReasoning(state: ReasoningState): void {
    if (state.summaryOpen) {
      const ref = this.summaryRef(state);
      this.emit('response.reasoning_summary_text.done', { ...ref, text: state.text });
      this.emit('response.reasoning_summary_part.done', {
        ...ref,
        part: { type: 'summary_text', text: state.text },
      });
    }
    const part = { type: 'reasoning' as const, text: state.text };
    const sealed = reasoningState(
      {
        ...part,
        ...(state.signature === undefined ? {} : { signature: state.signature }),
        ...(state.redactedData === undefined ? {} : { redactedData: state.redactedData }),
        ...(state.encryptedContent === undefined ? {} : { encryptedContent: state.encryptedContent }),
        ...(state.upstreamItemId === undefined ? {} : { itemId: state.upstreamItemId }),
      },
      this.context.sourceWire,
      state.itemId,
    );
    this.complete(state.outputIndex, reasoningItem(sealed.id, state.text, sealed.encryptedContent));
  }

  private endCall(state: CallState): void {
    if (state.deferred) {
      if (state.signature !== undefined) {
        const outputIndex = this.output.length;
        const item = toolSignatureItem(
          itemId('rs', this.context.requestId, outputIndex),
          state.callId,
          state.signature,
        );
        this.announce(outputIndex, { ...item, encrypted_content: undefined });
        this.complete(outputIndex, item);
      }
      this.announceCall(state);
      if (state.text !== '') {
        this.emit('response.function_call_arguments.delta', { ...this.itemRef(state), delta: state.text });
      }
    }
    this.emit('response.function_call_arguments.done', {
      ...this.itemRef(state),
      name: state.name,
      arguments: state.text,
    });
    this.complete(state.outputIndex, this.callItem(state, 'completed'));
  }

  private announceCall(state: CallState): void {
    state.outputIndex = this.output.length;
    state.itemId = itemId('fc', this.context.requestId, state.outputIndex);
    this.announce(state.outputIndex, this.callItem(state, 'in_progress'));
  }

  private callItem(state: CallState, status: ItemStatus): JsonObject {
    const args = status === 'completed' ? state.text : '';
    return functionCallItem(state.itemId, { id: state.callId, name: state.name, arguments: args }, status);
  }

  private announce(outputIndex: number, item: JsonObject): void {
    this.output[outputIndex] = item;
    this.emit('response.output_item.added', { output_index: outputIndex, item });
  }

  private complete(outputIndex: number, item: JsonObject): void {
    this.output[outputIndex] = item;
    this.emit('response.output_item.done', { output_index: outputIndex, item });
  }

  private itemRef(state: { itemId: string; outputIndex: number }): JsonObject {
    return { item_id: state.itemId, output_index: state.outputIndex };
  }

  private textRef(state: TextState): JsonObject {
    return { ...this.itemRef(state), content_index: state.contentIndex };
  }

  private summaryRef(state: ReasoningState): JsonObject {
    return { ...this.itemRef(state), summary_index: 0 };
  }
}
