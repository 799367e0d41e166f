/** One part of a Gemini answer (`candidates[0].content.parts[i]`) -> a canonical output part. */
import type { OutputPart } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { field, hasField, objectField, stringField } from './fields';
import { argsToText, generatedCallId } from './tool-args';

const UNSUPPORTED_OUTPUT = ['inlineData', 'fileData', 'executableCode', 'codeExecutionResult'];

/**
 * `index` is the canonical index the part will get (it names generated call ids); undefined when the
 * part carries nothing (an empty text without signature) or nothing the canonical model can hold.
 */
export function decodeOutputPart(
  part: JsonObject,
  index: number,
  callScope: string,
  warnings: TransformWarnings,
  path: string,
): OutputPart | undefined {
  const signature = stringField(part, 'thoughtSignature');
  const text = stringField(part, 'text');
  if (field(part, 'thought') === true && (text !== undefined || signature !== undefined)) {
    return { type: 'reasoning', text: text ?? '', origin: 'gemini', ...(signature ? { signature } : {}) };
  }
  if (hasField(part, 'functionCall')) {
    const call = objectField(part, 'functionCall');
    return {
      type: 'tool-call',
      id: stringField(call, 'id') ?? generatedCallId(callScope, index),
      name: stringField(call, 'name') ?? '',
      arguments: argsToText(field(call, 'args')),
      ...(signature ? { thoughtSignature: signature } : {}),
    };
  }
  if (text !== undefined || signature !== undefined) {
    if (text === '' && signature === undefined) return undefined;
    return { type: 'text', text: text ?? '', ...(signature ? { thoughtSignature: signature } : {}) };
  }
  for (const key of UNSUPPORTED_OUTPUT) {
    if (hasField(part, key)) warnings.add('unsupported', `${path}.${key}`);
  }
  return undefined;
}
