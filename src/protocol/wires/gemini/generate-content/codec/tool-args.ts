/** Tool-call arguments from Gemini's `args` object (written to it by canonical/tool-arguments), and call ids. */
import { newId } from '../../../../../core/ids';
import { asObject } from '../../../../json-access';

export function argsToText(args: unknown): string {
  return JSON.stringify(asObject(args) ?? {});
}

/**
 * The scope of ids for functionCalls that came without one (Gemini often omits them). Ids must be
 * unique in the conversation (Claude rejects repeated tool_use ids), so they carry the response id,
 * or a random value when the response has none.
 */
export function callIdScope(responseId: string): string {
  const scope = responseId.replace(/[^A-Za-z0-9_-]/g, '');
  return scope !== '' ? scope : newId().replace(/-/g, '').slice(0, 16);
}

export function generatedCallId(scope: string, index: number): string {
  return `call_${scope}_${index}`;
}
