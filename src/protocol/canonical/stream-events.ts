/**
 * Typed stream events: what every wire's stream decoder produces and every stream encoder consumes.
 * Parts are numbered by `index` in output order; a part's events are `*-start`, deltas, `part-end`.
 * Decoders guarantee: one `start` first; deltas of a part come after its start and before its end;
 * `usage` may come any number of times (later values replace earlier ones, field by field);
 * exactly one `finish` (or an `error`) last.
 */
import type { GatewayError } from '../../core/errors';
import type { Usage } from '../usage';
import type { FinishReason } from './response';

export type StreamEvent =
  | { type: 'start'; id: string; model: string; created?: number }
  | { type: 'text-start'; index: number }
  | { type: 'text-delta'; index: number; text: string }
  | { type: 'reasoning-start'; index: number; itemId?: string; redactedData?: string }
  | { type: 'reasoning-delta'; index: number; text: string }
  /** Opaque reasoning state, usually just before the reasoning part ends. */
  | { type: 'reasoning-signature'; index: number; signature?: string; encryptedContent?: string }
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  | { type: 'tool-input-delta'; index: number; argumentsDelta: string }
  /** Gemini thoughtSignature of a text or tool-call part. */
  | { type: 'thought-signature'; index: number; signature: string }
  | { type: 'part-end'; index: number }
  | { type: 'usage'; usage: Partial<Usage> }
  | { type: 'finish'; reason: FinishReason; stopSequence?: string }
  | { type: 'error'; error: GatewayError };
