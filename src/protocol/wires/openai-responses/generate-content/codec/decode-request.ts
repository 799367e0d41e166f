/** A Responses (`POST /v1/responses`) request as a canonical request. */
import { booleanAt, isSet, numberAt, stringAt } from '../../../../json-access';
import { GatewayError } from '../../../../../core/errors';
import type { DecodeRequestContext } from '../../../../canonical/codec';
import type { CanonicalRequest } from '../../../../canonical/request';
import { requireModel, requireObjectBody } from '../../../request-facts';
import type { JsonObject } from '../../../../json-access';
import {
  decodeMetadata,
  decodeReasoning,
  decodeTextFormat,
  decodeToolChoice,
  decodeTools,
  warnUncarriedFields,
} from './decode-config';
import { decodeInput } from './decode-input';

export function decodeRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  const object = requireObjectBody(body);
  const model = requireModel(object['model']);
  rejectStoredState(object);
  if (!isSet(object, 'input')) {
    throw new GatewayError('invalid_request', 'The request must have an `input`', { param: 'input' });
  }
  const { warnings } = context;
  const input = decodeInput(object['input'], warnings);
  const instructions = stringAt(object, 'instructions');
  const request: CanonicalRequest = {
    model,
    system: instructions ? [{ type: 'text', text: instructions }, ...input.system] : input.system,
    messages: input.messages,
    tools: decodeTools(object, warnings),
    stream: object['stream'] === true,
  };
  const toolChoice = decodeToolChoice(object['tool_choice'], warnings);
  if (toolChoice) request.toolChoice = toolChoice;
  const parallel = booleanAt(object, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;
  const maxOutputTokens = numberAt(object, 'max_output_tokens');
  if (maxOutputTokens !== undefined) request.maxOutputTokens = maxOutputTokens;
  const temperature = numberAt(object, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = numberAt(object, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const reasoning = decodeReasoning(object, warnings);
  if (reasoning) request.reasoning = reasoning;
  const responseFormat = decodeTextFormat(object, warnings);
  if (responseFormat) request.responseFormat = responseFormat;
  // `safety_identifier` replaces the deprecated `user` as the end-user id.
  const user = stringAt(object, 'safety_identifier') ?? stringAt(object, 'user');
  if (user !== undefined) request.user = user;
  const metadata = decodeMetadata(object);
  if (metadata) request.metadata = metadata;
  warnUncarriedFields(object, warnings);
  return request;
}

/** The conversation lives in OpenAI's store; another provider cannot be given what it holds. */
function rejectStoredState(object: JsonObject): void {
  for (const param of ['previous_response_id', 'conversation'] as const) {
    if (!isSet(object, param)) continue;
    throw new GatewayError(
      'invalid_request',
      `${param} is not supported when this model is served by a non-Responses provider`,
      { param },
    );
  }
}
