/**
 * What the fake upstream answers, per wire, in each provider's public format. Everything is fixed so
 * tests can assert on it: the text is "Hello from fake <wire>" split into words (or `chunks` words,
 * cycling through them), and the usage numbers are FAKE_USAGE below.
 */
import type { WireKind } from '../../src/protocol/operation';
import type { Usage } from '../../src/protocol/usage';

/**
 * Reported usage, normalized (as gproxy should settle it). The raw numbers each wire sends:
 * - openai-chat: prompt_tokens 12, completion_tokens 8
 * - openai-responses: input_tokens 30 (cached_tokens 10), output_tokens 9 (reasoning_tokens 3)
 * - claude: input_tokens 11, cache_read_input_tokens 20, cache_creation_input_tokens 5, output_tokens 7
 *   (Claude's input excludes cache reads and writes: normalized input is 36)
 * - gemini: promptTokenCount 14 (cachedContentTokenCount 4), candidatesTokenCount 6, thoughtsTokenCount 2
 */
export const FAKE_USAGE: Record<WireKind, Usage> = {
  'openai-chat': {
    inputTokens: 12,
    outputTokens: 8,
    cachedInputTokens: 0,
    cacheCreationTokens: 0,
    reasoningTokens: 0,
  },
  'openai-responses': {
    inputTokens: 30,
    outputTokens: 9,
    cachedInputTokens: 10,
    cacheCreationTokens: 0,
    reasoningTokens: 3,
  },
  claude: {
    inputTokens: 36,
    outputTokens: 7,
    cachedInputTokens: 20,
    cacheCreationTokens: 5,
    reasoningTokens: 0,
  },
  gemini: {
    inputTokens: 14,
    outputTokens: 8,
    cachedInputTokens: 4,
    cacheCreationTokens: 0,
    reasoningTokens: 2,
  },
};

/** The pieces a stream sends (and, joined, the non-stream text) for a wire and an optional chunk count. */
export function fakePieces(wire: WireKind, text = `Hello from fake ${wire}`, chunks?: number): string[] {
  const words = text.match(/\s*\S+/g) ?? [text];
  if (chunks === undefined) return words;
  return Array.from({ length: chunks }, (_, i) => words[i % words.length] ?? '');
}

export interface FakeAnswer {
  json: unknown;
  /** Stream frames as written on the wire, one write each. */
  frames: string[];
}

const sse = (data: unknown, event?: string): string =>
  `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;

function chat(model: string, pieces: string[], includeUsage: boolean): FakeAnswer {
  const usage = {
    prompt_tokens: 12,
    completion_tokens: 8,
    total_tokens: 20,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
  const head = { id: 'chatcmpl-fake', created: 1_700_000_000, model, system_fingerprint: 'fp_fake' };
  const message = { role: 'assistant', content: pieces.join(''), refusal: null, annotations: [] };
  const json = {
    ...head,
    object: 'chat.completion',
    choices: [{ index: 0, message, logprobs: null, finish_reason: 'stop' }],
    usage,
  };
  const chunk = (delta: object, finish: string | null) =>
    sse({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const frames = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  for (const piece of pieces) frames.push(chunk({ content: piece }, null));
  frames.push(chunk({}, 'stop'));
  if (includeUsage) frames.push(sse({ ...head, object: 'chat.completion.chunk', choices: [], usage }));
  frames.push('data: [DONE]\n\n');
  return { json, frames };
}

function responses(model: string, pieces: string[]): FakeAnswer {
  const text = pieces.join('');
  const usage = {
    input_tokens: 30,
    input_tokens_details: { cached_tokens: 10 },
    output_tokens: 9,
    output_tokens_details: { reasoning_tokens: 3 },
    total_tokens: 39,
  };
  const part = { type: 'output_text', text, annotations: [] };
  const item = { id: 'msg_fake', type: 'message', status: 'completed', role: 'assistant', content: [part] };
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id: 'resp_fake',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    error: null,
    incomplete_details: null,
    model,
    output,
    usage: withUsage ? usage : null,
  });
  let sequence = 0;
  const event = (type: string, fields: object) => sse({ type, sequence_number: sequence++, ...fields }, type);
  const at = { item_id: 'msg_fake', output_index: 0, content_index: 0 };
  const frames = [
    event('response.created', { response: response('in_progress', [], false) }),
    event('response.in_progress', { response: response('in_progress', [], false) }),
    event('response.output_item.added', {
      output_index: 0,
      item: { ...item, status: 'in_progress', content: [] },
    }),
    event('response.content_part.added', { ...at, part: { ...part, text: '' } }),
    ...pieces.map((delta) => event('response.output_text.delta', { ...at, delta })),
    event('response.output_text.done', { ...at, text }),
    event('response.content_part.done', { ...at, part }),
    event('response.output_item.done', { output_index: 0, item }),
    event('response.completed', { response: response('completed', [item], true) }),
  ];
  return { json: response('completed', [item], true), frames };
}

function claude(model: string, pieces: string[]): FakeAnswer {
  const usage = {
    input_tokens: 11,
    cache_read_input_tokens: 20,
    cache_creation_input_tokens: 5,
    output_tokens: 7,
  };
  const message = (content: unknown[], stop: string | null, output: number) => ({
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: { ...usage, output_tokens: output },
  });
  const event = (type: string, fields: object) => sse({ type, ...fields }, type);
  const frames = [
    event('message_start', { message: message([], null, 1) }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('ping', {}),
    ...pieces.map((text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 7 },
    }),
    event('message_stop', {}),
  ];
  return { json: message([{ type: 'text', text: pieces.join('') }], 'end_turn', 7), frames };
}

function gemini(model: string, pieces: string[], format: 'sse' | 'json-array'): FakeAnswer {
  const usageMetadata = {
    promptTokenCount: 14,
    cachedContentTokenCount: 4,
    candidatesTokenCount: 6,
    thoughtsTokenCount: 2,
    totalTokenCount: 22,
  };
  const response = (text: string, last: boolean) => ({
    candidates: [
      { content: { parts: [{ text }], role: 'model' }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 },
    ],
    usageMetadata: last ? usageMetadata : { promptTokenCount: 14, totalTokenCount: 14 },
    modelVersion: model,
    responseId: 'fake',
  });
  const objects = pieces.map((piece, i) => JSON.stringify(response(piece, i === pieces.length - 1)));
  const frames =
    format === 'sse'
      ? objects.map((json) => `data: ${json}\r\n\r\n`)
      : [...objects.map((json, i) => (i === 0 ? '[' : ',\r\n') + json), ']'];
  return { json: response(pieces.join(''), true), frames };
}

export interface AnswerRequest {
  wire: WireKind;
  model: string;
  body: Record<string, unknown>;
  text?: string;
  chunks?: number;
  geminiFormat: 'sse' | 'json-array';
}

export function fakeAnswer({ wire, model, body, text, chunks, geminiFormat }: AnswerRequest): FakeAnswer {
  const pieces = fakePieces(wire, text, chunks);
  switch (wire) {
    case 'openai-chat': {
      const options = body['stream_options'] as { include_usage?: unknown } | undefined;
      return chat(model, pieces, options?.include_usage === true);
    }
    case 'openai-responses':
      return responses(model, pieces);
    case 'claude':
      return claude(model, pieces);
    case 'gemini':
      return gemini(model, pieces, geminiFormat);
  }
}

/** The provider's own error body for a status. */
export function fakeErrorBody(
  wire: WireKind,
  status: number,
  message = `Fake upstream error ${status}`,
): unknown {
  if (wire === 'claude') {
    const type =
      status === 429
        ? 'rate_limit_error'
        : status === 529
          ? 'overloaded_error'
          : status >= 500
            ? 'api_error'
            : 'invalid_request_error';
    return { type: 'error', error: { type, message }, request_id: 'req_fake' };
  }
  if (wire === 'gemini') {
    const names: Record<number, string> = {
      400: 'INVALID_ARGUMENT',
      401: 'UNAUTHENTICATED',
      403: 'PERMISSION_DENIED',
      404: 'NOT_FOUND',
      429: 'RESOURCE_EXHAUSTED',
      500: 'INTERNAL',
      503: 'UNAVAILABLE',
    };
    return { error: { code: status, message, status: names[status] ?? 'UNKNOWN' } };
  }
  const type =
    status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code: status === 429 ? 'rate_limit_exceeded' : null } };
}
