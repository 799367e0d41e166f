import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import { GENERATE_CONTENT_WIRES } from './index';

const BODY_WIRES = ['openai-chat', 'openai-responses', 'claude'] as const;

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('readRequest', () => {
  it.each(BODY_WIRES)('%s reads model and stream from the body', (wire) => {
    const readRequest = GENERATE_CONTENT_WIRES[wire].readRequest.bind(GENERATE_CONTENT_WIRES[wire]);
    expect(readRequest({ model: 'm-1', stream: true, messages: [] }, {})).toEqual({
      model: 'm-1',
      stream: true,
    });
    expect(readRequest({ model: 'm-1' }, {})).toEqual({ model: 'm-1', stream: false });
    // Only a literal true streams; "true" or 1 do not.
    expect(readRequest({ model: 'm-1', stream: 'true' }, {})).toEqual({ model: 'm-1', stream: false });
    // Path facts do not override the body for these wires.
    expect(readRequest({ model: 'm-1' }, { model: 'other', stream: true })).toEqual({
      model: 'm-1',
      stream: false,
    });
  });

  it.each(BODY_WIRES)('%s rejects a missing or empty model with param "model"', (wire) => {
    const readRequest = GENERATE_CONTENT_WIRES[wire].readRequest.bind(GENERATE_CONTENT_WIRES[wire]);
    for (const body of [{}, { model: '' }, { model: '  ' }, { model: 42 }, { model: null }]) {
      const error = thrown(() => readRequest(body, {}));
      expect(error.code).toBe('invalid_request');
      expect(error.param).toBe('model');
      expect(error.status).toBe(400);
    }
  });

  it.each([...BODY_WIRES, 'gemini' as const])('%s rejects a body that is not a JSON object', (wire) => {
    const readRequest = GENERATE_CONTENT_WIRES[wire].readRequest.bind(GENERATE_CONTENT_WIRES[wire]);
    for (const body of [null, [], 'text', 3]) {
      expect(thrown(() => readRequest(body, { model: 'm' })).code).toBe('invalid_request');
    }
  });

  it('gemini takes model and stream from the path, normalizing models/ prefixes', () => {
    const readRequest = GENERATE_CONTENT_WIRES.gemini.readRequest.bind(GENERATE_CONTENT_WIRES.gemini);
    expect(
      readRequest({ contents: [], model: 'ignored' }, { model: 'gemini-2.5-flash', stream: true }),
    ).toEqual({
      model: 'gemini-2.5-flash',
      stream: true,
    });
    expect(readRequest({ contents: [] }, { model: 'models/gemini-2.5-pro' })).toEqual({
      model: 'gemini-2.5-pro',
      stream: false,
    });
    expect(thrown(() => readRequest({}, {})).param).toBe('model');
    expect(thrown(() => readRequest({}, { model: 'models/' })).param).toBe('model');
  });
});
