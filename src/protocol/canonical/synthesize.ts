/**
 * Response -> stream: the canonical events a streaming client gets when the upstream answered
 * in one piece. Text and arguments go out as single deltas (nothing is gained by re-chunking).
 */
import type { CanonicalResponse } from './response';
import type { StreamEvent } from './stream-events';

export function synthesizeStream(response: CanonicalResponse): StreamEvent[] {
  const events: StreamEvent[] = [
    { type: 'start', id: response.id, model: response.model, created: response.created },
  ];
  response.parts.forEach((part, index) => {
    switch (part.type) {
      case 'text':
        events.push({ type: 'text-start', index });
        if (part.text !== '') events.push({ type: 'text-delta', index, text: part.text });
        if (part.thoughtSignature !== undefined) {
          events.push({ type: 'thought-signature', index, signature: part.thoughtSignature });
        }
        break;
      case 'reasoning':
        events.push({ type: 'reasoning-start', index, itemId: part.itemId, redactedData: part.redactedData });
        if (part.text !== '') events.push({ type: 'reasoning-delta', index, text: part.text });
        if (part.signature !== undefined || part.encryptedContent !== undefined) {
          events.push({
            type: 'reasoning-signature',
            index,
            signature: part.signature,
            encryptedContent: part.encryptedContent,
          });
        }
        break;
      case 'tool-call':
        events.push({ type: 'tool-call-start', index, id: part.id, name: part.name });
        if (part.arguments !== '')
          events.push({ type: 'tool-input-delta', index, argumentsDelta: part.arguments });
        if (part.thoughtSignature !== undefined) {
          events.push({ type: 'thought-signature', index, signature: part.thoughtSignature });
        }
        break;
    }
    events.push({ type: 'part-end', index });
  });
  if (response.usage !== undefined) events.push({ type: 'usage', usage: response.usage });
  events.push({ type: 'finish', reason: response.finishReason, stopSequence: response.stopSequence });
  return events;
}
