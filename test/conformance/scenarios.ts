/**
 * Conformance scenarios, written once in the canonical model. The matrix encodes each into every
 * wire (giving that wire's public format), then runs it through every directed pair.
 */
import type { CanonicalRequest } from '../../src/protocol/canonical/request';
import type { CanonicalResponse } from '../../src/protocol/canonical/response';

const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string', description: 'City name' },
      unit: { type: 'string', enum: ['c', 'f'] },
    },
    required: ['city'],
  },
};
const timeTool = {
  name: 'get_time',
  description: 'Local time in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function request(overrides: Partial<CanonicalRequest>): CanonicalRequest {
  return { model: 'any-model', system: [], messages: [], tools: [], stream: false, ...overrides };
}

export const REQUEST_SCENARIOS: Record<string, CanonicalRequest> = {
  'multi-turn text': request({
    system: [{ type: 'text', text: 'You are terse.' }],
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'Hi there' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Hello.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Name a color.' }] },
    ],
    maxOutputTokens: 256,
    temperature: 0.5,
    topP: 0.9,
    stop: ['END'],
  }),
  images: request({
    messages: [
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'What is in these images?' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG_1PX } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
        ],
      },
    ],
    maxOutputTokens: 100,
  }),
  'parallel tool loop': request({
    system: [{ type: 'text', text: 'Use tools.' }],
    tools: [weatherTool, timeTool],
    toolChoice: { type: 'auto' },
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'Weather and time in Paris?' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool-call', id: 'call_a1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'call_b2', name: 'get_time', arguments: '{"city":"Paris"}' },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            type: 'tool-result',
            callId: 'call_a1',
            name: 'get_weather',
            content: [{ type: 'text', text: '18C, sunny' }],
          },
          {
            type: 'tool-result',
            callId: 'call_b2',
            name: 'get_time',
            content: [{ type: 'text', text: 'clock service unavailable' }],
            isError: true,
          },
        ],
      },
    ],
    maxOutputTokens: 512,
  }),
  'forced tool': request({
    tools: [weatherTool],
    toolChoice: { type: 'tool', name: 'get_weather' },
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'Paris' }] }],
    maxOutputTokens: 64,
  }),
  reasoning: request({
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'Prove that 17 is prime.' }] }],
    reasoning: { enabled: true, effort: 'medium' },
    maxOutputTokens: 16000,
  }),
  'json output': request({
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'A person named Ada, 36.' }] }],
    responseFormat: {
      type: 'json-schema',
      name: 'person',
      schema: {
        type: 'object',
        properties: { name: { type: 'string' }, age: { type: 'integer' } },
        required: ['name', 'age'],
      },
    },
    maxOutputTokens: 200,
  }),
};

const usage = {
  inputTokens: 120,
  outputTokens: 40,
  cachedInputTokens: 100,
  cacheCreationTokens: 0,
  reasoningTokens: 0,
};

export const RESPONSE_SCENARIOS: Record<string, CanonicalResponse> = {
  text: {
    id: 'resp-text',
    model: 'up-model',
    parts: [{ type: 'text', text: 'Blue. Also green.' }],
    finishReason: 'stop',
    usage,
  },
  'parallel tool calls': {
    id: 'resp-tools',
    model: 'up-model',
    parts: [
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'tool-call', id: 'call_t2', name: 'get_time', arguments: '{"city":"Paris","tz":true}' },
    ],
    finishReason: 'tool-calls',
    usage: { ...usage, cachedInputTokens: 0 },
  },
  'max tokens': {
    id: 'resp-length',
    model: 'up-model',
    parts: [{ type: 'text', text: 'The answer is' }],
    finishReason: 'length',
    usage: { ...usage, cachedInputTokens: 0 },
  },
  'reasoning then answer': {
    id: 'resp-reason',
    model: 'up-model',
    parts: [
      { type: 'reasoning', text: 'Check divisors 2, 3.' },
      { type: 'text', text: '17 is prime.' },
    ],
    finishReason: 'stop',
    usage: { ...usage, cachedInputTokens: 0, reasoningTokens: 12 },
  },
};
