/** A Gemini GenerateContentResponse -> the canonical response (first candidate only). */
import { GatewayError } from '../../../../../core/errors';
import type { DecodeResponseContext } from '../../../../canonical/codec';
import type { OutputPart } from '../../../../canonical/parts';
import type { CanonicalResponse, FinishReason } from '../../../../canonical/response';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { geminiUsageFromResponse } from '../usage';
import { arrayField, objectField, stringField } from './fields';
import { decodeFinishReason } from './finish-reason';
import { decodeOutputPart } from './output-parts';
import { callIdScope } from './tool-args';

export function decodeResponse(body: unknown, context: DecodeResponseContext): CanonicalResponse {
  const object = asObject(body);
  if (object === undefined)
    throw new GatewayError('upstream_bad_response', 'The Gemini response is not a JSON object');
  throwIfError(object);
  const { warnings } = context;
  const responseId = stringField(object, 'responseId') ?? '';
  const candidates = arrayField(object, 'candidates') ?? [];
  if (candidates.length > 1) warnings.add('dropped', 'candidates[1]', 'only the first candidate is kept');
  const candidate = asObject(candidates[0]);

  const parts: OutputPart[] = [];
  const scope = callIdScope(responseId);
  (arrayField(objectField(candidate, 'content'), 'parts') ?? []).forEach((item, i) => {
    const part = asObject(item);
    if (part === undefined) return;
    const decoded = decodeOutputPart(
      part,
      parts.length,
      scope,
      warnings,
      `candidates[0].content.parts[${i}]`,
    );
    if (decoded) parts.push(decoded);
  });

  const response: CanonicalResponse = {
    id: responseId,
    model: stringField(object, 'modelVersion') ?? '',
    parts,
    finishReason: finishOf(object, candidate, parts, warnings),
  };
  const created = createdSeconds(stringField(object, 'createTime'));
  if (created !== undefined) response.created = created;
  const usage = geminiUsageFromResponse(object);
  if (usage) response.usage = usage;
  return response;
}

/** A blocked prompt comes back with `promptFeedback.blockReason` and no candidate. */
export function finishOf(
  object: JsonObject,
  candidate: JsonObject | undefined,
  parts: OutputPart[],
  warnings: TransformWarnings,
): FinishReason {
  const blocked = stringField(objectField(object, 'promptFeedback'), 'blockReason');
  if (candidate === undefined && blocked !== undefined) return 'content-filter';
  const hasToolCalls = parts.some((p) => p.type === 'tool-call');
  return decodeFinishReason(
    stringField(candidate, 'finishReason'),
    hasToolCalls,
    warnings,
    'candidates[0].finishReason',
  );
}

/** An error envelope (`{error: {code, message, status}}`) where an answer was expected. */
export function upstreamError(object: JsonObject): GatewayError | undefined {
  const error = objectField(object, 'error');
  if (error === undefined) return undefined;
  const message = stringField(error, 'message') ?? 'The Gemini upstream returned an error';
  const status = stringField(error, 'status');
  return new GatewayError('upstream_error', status ? `${status}: ${message}` : message);
}

function throwIfError(object: JsonObject): void {
  const error = upstreamError(object);
  if (error) throw error;
}

/** Vertex answers carry `createTime` (RFC 3339). */
function createdSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}
