/**
 * Chat Completions has no slot a client echoes provider state back in (canonical/opaque.ts): the
 * encoders report what they leave out, so the client's next turn without it is explained.
 */
import type { OutputPart } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';

export function reportOpaqueState(part: OutputPart, warnings: TransformWarnings): void {
  if (part.type === 'reasoning') {
    if (part.signature !== undefined) warnings.add('dropped', 'reasoning.signature');
    if (part.redactedData !== undefined) warnings.add('dropped', 'reasoning.redacted');
    if (part.encryptedContent !== undefined) warnings.add('dropped', 'reasoning.encrypted_content');
  } else if (part.thoughtSignature !== undefined) {
    warnings.add('dropped', 'thoughtSignature');
  }
}
