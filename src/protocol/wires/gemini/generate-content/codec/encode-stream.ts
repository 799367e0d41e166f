/**
 * Canonical stream events -> a Gemini stream for a Gemini client: one chunk per text or thought
 * delta, a functionCall chunk when its part ends (Gemini sends calls whole, so argument deltas are
 * gathered until then), and a last chunk with `finishReason` and `usageMetadata`. Without `alt=sse`
 * the same chunks form a JSON array (`[` + chunks joined by `,\r\n` + `]`).
 */
import { encodeSseEvent } from '../../../../../core/sse';
import type { EncodeStreamContext, StreamEncoder } from '../../../../canonical/codec';
import { seal } from '../../../../canonical/opaque';
import type { ReasoningPart } from '../../../../canonical/parts';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { encodeGeminiStreamError, geminiErrorBody } from '../../../../error-envelopes';
import type { JsonObject } from '../../../../json-access';
import { emptyUsage } from '../../../../usage';
import type { Usage } from '../../../../usage';
import { functionCallPart, needsSeal } from './answer-parts';
import { encodeFinishReason } from './finish-reason';
import { responseIdFor } from './encode-response';
import { encodeUsageMetadata } from './usage-metadata';

interface OpenCall {
  id: string;
  name: string;
  args: string;
  signature?: string;
}

export function createStreamEncoder(context: EncodeStreamContext): StreamEncoder {
  const { warnings } = context;
  const jsonArray = context.format === 'json-array';
  let responseId = context.requestId;
  let arrayOpened = false;
  let chunks = 0;
  let closed = false;
  let usage: Usage | undefined;
  const calls = new Map<number, OpenCall>();
  /** Reasoning of another provider being received, by part index. */
  const reasoning = new Map<number, ReasoningPart>();
  /** Ended foreign reasoning whose state still has to be sealed into an outgoing part. */
  let unsealed: ReasoningPart[] = [];

  function write(body: JsonObject): string {
    const json = JSON.stringify(body);
    chunks++;
    if (!jsonArray) return encodeSseEvent(json);
    const head = arrayOpened ? (chunks > 1 ? ',\r\n' : '') : '[';
    arrayOpened = true;
    return head + json;
  }

  function chunk(parts: JsonObject[], extra: JsonObject = {}, tail: JsonObject = {}): string {
    const candidate: JsonObject = { content: { role: 'model', parts }, ...extra, index: 0 };
    return write({ candidates: [candidate], ...tail, modelVersion: context.model, responseId });
  }

  /** Sealed state rides on the first functionCall sent after it ended, or on the last chunk. */
  function takeSeal(): string | undefined {
    if (unsealed.length === 0) return undefined;
    const value = seal({ t: 'reasoning', parts: unsealed });
    unsealed = [];
    return value;
  }

  function endPart(index: number): string {
    const call = calls.get(index);
    if (call) {
      calls.delete(index);
      const signature = call.signature ?? takeSeal();
      return chunk([functionCallPart(call.id, call.name, call.args, signature, warnings)]);
    }
    const part = reasoning.get(index);
    if (part) {
      reasoning.delete(index);
      if (needsSeal(part)) unsealed.push(part);
    }
    return '';
  }

  function handle(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        responseId = responseIdFor(event.id, context);
        // The array's first byte goes out at once, as Gemini's own streams do.
        if (jsonArray && !arrayOpened) {
          arrayOpened = true;
          return '[';
        }
        return '';
      case 'text-start':
        return '';
      case 'text-delta':
        return event.text === '' ? '' : chunk([{ text: event.text }]);
      case 'reasoning-start':
        if (context.sourceWire !== 'gemini') {
          reasoning.set(event.index, {
            type: 'reasoning',
            text: '',
            origin: context.sourceWire,
            ...(event.itemId !== undefined ? { itemId: event.itemId } : {}),
            ...(event.redactedData !== undefined ? { redactedData: event.redactedData } : {}),
          });
        }
        return '';
      case 'reasoning-delta': {
        const part = reasoning.get(event.index);
        if (part) part.text += event.text;
        return event.text === '' ? '' : chunk([{ text: event.text, thought: true }]);
      }
      case 'reasoning-signature': {
        const part = reasoning.get(event.index);
        if (part) {
          if (event.signature !== undefined) part.signature = event.signature;
          if (event.encryptedContent !== undefined) part.encryptedContent = event.encryptedContent;
          return '';
        }
        // Gemini's own signature: an empty thought part carries it, as Gemini's streams do.
        return event.signature === undefined
          ? ''
          : chunk([{ text: '', thought: true, thoughtSignature: event.signature }]);
      }
      case 'tool-call-start':
        calls.set(event.index, { id: event.id, name: event.name, args: '' });
        return '';
      case 'tool-input-delta': {
        const call = calls.get(event.index);
        if (call) call.args += event.argumentsDelta;
        return '';
      }
      case 'thought-signature': {
        const call = calls.get(event.index);
        if (call) {
          call.signature = event.signature;
          return '';
        }
        return chunk([{ text: '', thoughtSignature: event.signature }]);
      }
      case 'part-end':
        return endPart(event.index);
      case 'usage':
        usage = { ...(usage ?? emptyUsage()), ...definedFields(event.usage) };
        return '';
      case 'finish': {
        let out = '';
        for (const index of [...calls.keys(), ...reasoning.keys()]) out += endPart(index);
        closed = true;
        const signature = takeSeal();
        const parts = [{ text: '', ...(signature !== undefined ? { thoughtSignature: signature } : {}) }];
        const tail = usage ? { usageMetadata: encodeUsageMetadata(usage, context.warnings) } : {};
        return out + chunk(parts, { finishReason: encodeFinishReason(event.reason, warnings) }, tail);
      }
      case 'error': {
        closed = true;
        if (!jsonArray) return encodeGeminiStreamError(event.error, context.requestId);
        return write(geminiErrorBody(event.error, context.requestId));
      }
    }
  }

  return {
    push(event: StreamEvent): string {
      return closed ? '' : handle(event);
    },
    end(): string {
      if (!jsonArray) return '';
      return arrayOpened ? ']' : '[]';
    },
  };
}

function definedFields(usage: Partial<Usage>): Partial<Usage> {
  const out: Partial<Usage> = {};
  for (const [key, value] of Object.entries(usage) as [keyof Usage, number | undefined][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}
