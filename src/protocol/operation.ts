/**
 * The operation taxonomy: what a request asks for (operation), in which native shape (wire kind).
 * Routing rules, channels and transforms are keyed on the operation key.
 */

export const OPERATIONS = ['generate-content', 'list-models', 'get-model', 'count-tokens'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const WIRE_KINDS = ['openai-chat', 'openai-responses', 'claude', 'gemini'] as const;
export type WireKind = (typeof WIRE_KINDS)[number];

export interface OperationKey {
  readonly operation: Operation;
  readonly wire: WireKind;
}

/** The error envelope family a wire kind answers errors in. */
export type ErrorFamily = 'openai' | 'claude' | 'gemini';

export function errorFamilyOf(wire: WireKind): ErrorFamily {
  switch (wire) {
    case 'openai-chat':
    case 'openai-responses':
      return 'openai';
    case 'claude':
      return 'claude';
    case 'gemini':
      return 'gemini';
  }
}

export function isWireKind(value: unknown): value is WireKind {
  return typeof value === 'string' && (WIRE_KINDS as readonly string[]).includes(value);
}
