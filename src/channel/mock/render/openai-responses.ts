/** Responses API: a response object, or the full event sequence with increasing sequence numbers. */
import { encodeSseEvent } from '../../../core/sse';
import type { MockAnswer } from '../answer';
import { MOCK_CREATED } from './renderer';
import type { MockRenderer } from './renderer';

const RESPONSE_ID = 'resp_mock';
const ITEM_ID = 'msg_mock';

function outputText(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function message(status: string, content: unknown[]) {
  return { id: ITEM_ID, type: 'message', status, role: 'assistant', content };
}

function response(answer: MockAnswer, status: string, output: unknown[], withUsage: boolean) {
  return {
    id: RESPONSE_ID,
    object: 'response',
    created_at: MOCK_CREATED,
    status,
    error: null,
    incomplete_details: null,
    model: answer.model,
    output,
    parallel_tool_calls: true,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    usage: withUsage
      ? {
          input_tokens: answer.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: answer.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: answer.inputTokens + answer.outputTokens,
        }
      : null,
  };
}

export const openAiResponsesRenderer: MockRenderer = {
  json: (answer) => response(answer, 'completed', [message('completed', [outputText(answer.text)])], true),

  stream: (answer) => {
    let sequence = 0;
    const event = (type: string, fields: object) =>
      encodeSseEvent(JSON.stringify({ type, sequence_number: sequence++, ...fields }), type);
    const at = { item_id: ITEM_ID, output_index: 0, content_index: 0 };
    const done = message('completed', [outputText(answer.text)]);
    const frames = [
      event('response.created', { response: response(answer, 'in_progress', [], false) }),
      event('response.in_progress', { response: response(answer, 'in_progress', [], false) }),
      event('response.output_item.added', { output_index: 0, item: message('in_progress', []) }),
      event('response.content_part.added', { ...at, part: outputText('') }),
    ];
    for (const piece of answer.pieces) {
      frames.push(event('response.output_text.delta', { ...at, delta: piece, logprobs: [] }));
    }
    frames.push(
      event('response.output_text.done', { ...at, text: answer.text, logprobs: [] }),
      event('response.content_part.done', { ...at, part: outputText(answer.text) }),
      event('response.output_item.done', { output_index: 0, item: done }),
      event('response.completed', { response: response(answer, 'completed', [done], true) }),
    );
    return frames;
  },
};
