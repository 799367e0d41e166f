/** Claude Messages: a message object, or message_start … message_stop with usage on start and delta. */
import { encodeSseEvent } from '../../../core/sse';
import type { MockAnswer } from '../answer';
import type { MockRenderer } from './renderer';

function message(answer: MockAnswer, content: unknown[], stopReason: string | null, outputTokens: number) {
  return {
    id: 'msg_mock',
    type: 'message',
    role: 'assistant',
    model: answer.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: answer.inputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: outputTokens,
    },
  };
}

export const claudeRenderer: MockRenderer = {
  json: (answer) => message(answer, [{ type: 'text', text: answer.text }], 'end_turn', answer.outputTokens),

  stream: (answer) => {
    const event = (type: string, fields: object) => encodeSseEvent(JSON.stringify({ type, ...fields }), type);
    // message_start reports the output counted so far (1, as Anthropic does); message_delta the final, cumulative count.
    const frames = [
      event('message_start', { message: message(answer, [], null, 1) }),
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      event('ping', {}),
    ];
    for (const piece of answer.pieces) {
      frames.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }));
    }
    frames.push(
      event('content_block_stop', { index: 0 }),
      event('message_delta', {
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: answer.outputTokens },
      }),
      event('message_stop', {}),
    );
    return frames;
  },
};
