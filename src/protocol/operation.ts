/**
 * The operation taxonomy: what a request asks for (operation), in which native shape (wire kind).
 * Routing rules, channels and transforms are keyed on the operation key.
 */

export const OPERATIONS = ['generate-content', 'list-models', 'get-model', 'count-tokens'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The wire kinds clients speak: each has a route, a request reader and an error envelope. */
export const WIRE_KINDS = ['openai-chat', 'openai-responses', 'claude', 'gemini'] as const;
export type WireKind = (typeof WIRE_KINDS)[number];

/**
 * Wire kinds only upstreams speak (decision 0009): a conversion may target them, but no client
 * route, request reader or error envelope exists for them, so they stay out of WireKind.
 */
export const UPSTREAM_ONLY_WIRE_KINDS = ['bedrock-converse'] as const;
export type UpstreamWireKind = WireKind | (typeof UPSTREAM_ONLY_WIRE_KINDS)[number];
export const UPSTREAM_WIRE_KINDS: readonly UpstreamWireKind[] = [...WIRE_KINDS, ...UPSTREAM_ONLY_WIRE_KINDS];

export interface OperationKey {
  readonly operation: Operation;
  readonly wire: WireKind;
}

/** An operation key as an upstream receives it: after conversion its wire may be upstream-only. */
export interface UpstreamOperationKey {
  readonly operation: Operation;
  readonly wire: UpstreamWireKind;
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
