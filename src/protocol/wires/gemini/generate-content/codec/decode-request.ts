/** A Gemini generateContent request body (model and stream from the URL) -> the canonical request. */
import { GatewayError } from '../../../../../core/errors';
import type { DecodeRequestContext } from '../../../../canonical/codec';
import type { TextPart } from '../../../../canonical/parts';
import type { CanonicalRequest } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { requireModel, requireObjectBody } from '../../../request-facts';
import { normalizeGeminiModel } from '../request';
import { decodeGenerationConfig, decodeToolChoice, decodeTools } from './decode-config';
import { decodeContents } from './decode-contents';
import { arrayField, field, hasField, objectField } from './fields';

export function decodeRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  const object = requireObjectBody(body);
  const { warnings } = context;
  const model = normalizeGeminiModel(requireModel(context.path.model));
  const contents = arrayField(object, 'contents');
  if (contents === undefined) {
    throw new GatewayError(
      'invalid_request',
      'The request must have `contents`, an array of Content objects',
      {
        param: 'contents',
      },
    );
  }

  const request: CanonicalRequest = {
    model,
    system: decodeSystem(field(object, 'systemInstruction'), warnings),
    messages: decodeContents(contents, warnings),
    tools: decodeTools(arrayField(object, 'tools') ?? [], warnings),
    stream: context.path.stream === true,
  };
  const toolChoice = decodeToolChoice(objectField(object, 'toolConfig'), warnings);
  if (toolChoice) request.toolChoice = toolChoice;
  Object.assign(request, decodeGenerationConfig(objectField(object, 'generationConfig') ?? {}, warnings));

  const labels = readLabels(objectField(object, 'labels'));
  if (labels) request.metadata = labels;
  // Gemini-side settings with no counterpart elsewhere.
  for (const key of ['safetySettings', 'cachedContent']) {
    if (hasField(object, key)) warnings.add('dropped', key);
  }
  return request;
}

/** `systemInstruction` is a Content whose text parts are the instructions (a bare string is accepted too). */
function decodeSystem(value: unknown, warnings: TransformWarnings): TextPart[] {
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: value }];
  const parts = arrayField(asObject(value), 'parts') ?? [];
  const out: TextPart[] = [];
  parts.forEach((item, i) => {
    const text = field(asObject(item), 'text');
    if (typeof text === 'string') {
      if (text !== '') out.push({ type: 'text', text });
    } else {
      warnings.add('dropped', `systemInstruction.parts[${i}]`, 'only text parts are instructions');
    }
  });
  return out;
}

function readLabels(labels: JsonObject | undefined): Record<string, string> | undefined {
  if (labels === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) if (typeof value === 'string') out[key] = value;
  return Object.keys(out).length > 0 ? out : undefined;
}
