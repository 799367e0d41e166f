/** The request facts every wire reads the same way: the body is a JSON object; model and stream from it. */
import { GatewayError } from '../../core/errors';
import type { GenerateContentRequestFacts } from '../wire';
import { asObject } from '../json-access';
import type { JsonObject } from '../json-access';

export function requireObjectBody(body: unknown): JsonObject {
  const object = asObject(body);
  if (!object) throw new GatewayError('invalid_request', 'The request body must be a JSON object');
  return object;
}

export function requireModel(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new GatewayError(
      'invalid_request',
      'The request must name a model: `model` must be a non-empty string',
      {
        param: 'model',
      },
    );
  }
  return value;
}

/** OpenAI Chat, OpenAI Responses and Claude: `model` and `stream` are body fields. */
export function readBodyRequestFacts(body: unknown): GenerateContentRequestFacts {
  const object = requireObjectBody(body);
  return { model: requireModel(object['model']), stream: object['stream'] === true };
}
