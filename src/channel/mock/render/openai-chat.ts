/** Chat Completions: a completion object, or chunks ending with finish_reason, the usage chunk and [DONE]. */
import { encodeSseEvent } from '../../../core/sse';
import { asObject, objectAt } from '../../../protocol/json-access';
import type { MockAnswer } from '../answer';
import { MOCK_CREATED } from './renderer';
import type { MockRenderer } from './renderer';

const ID = 'chatcmpl-mock';

function usage(answer: MockAnswer) {
  return {
    prompt_tokens: answer.inputTokens,
    completion_tokens: answer.outputTokens,
    total_tokens: answer.inputTokens + answer.outputTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

export const openAiChatRenderer: MockRenderer = {
  json: (answer) => ({
    id: ID,
    object: 'chat.completion',
    created: MOCK_CREATED,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: usage(answer),
    system_fingerprint: 'fp_mock',
  }),

  stream: (answer, body) => {
    const includeUsage = objectAt(asObject(body), 'stream_options')?.['include_usage'] === true;
    // With include_usage every chunk carries `usage: null` until the last one, as OpenAI sends it.
    const chunk = (choices: unknown[], usageValue: unknown = null) =>
      encodeSseEvent(
        JSON.stringify({
          id: ID,
          object: 'chat.completion.chunk',
          created: MOCK_CREATED,
          model: answer.model,
          system_fingerprint: 'fp_mock',
          choices,
          ...(includeUsage ? { usage: usageValue } : {}),
        }),
      );
    const choice = (delta: object, finishReason: string | null = null) => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finishReason,
    });
    const frames = [chunk([choice({ role: 'assistant', content: '', refusal: null })])];
    for (const piece of answer.pieces) frames.push(chunk([choice({ content: piece })]));
    frames.push(chunk([choice({}, 'stop')]));
    if (includeUsage) frames.push(chunk([], usage(answer)));
    frames.push(encodeSseEvent('[DONE]'));
    return frames;
  },
};
