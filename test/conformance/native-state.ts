/**
 * Adds the opaque state a provider of each wire attaches to its answers (signatures, encrypted
 * reasoning), so the matrix can check it comes back on the next turn.
 */
import type { OutputPart } from '../../src/protocol/canonical/parts';
import type { CanonicalResponse } from '../../src/protocol/canonical/response';
import type { UpstreamWireKind } from '../../src/protocol/operation';

export const CLAUDE_SIGNATURE = 'EqQBCkgIARABGAIiQL2claude-signature-fixture';
export const OPENAI_ENCRYPTED = 'gAAAAABoEncrypted-openai-reasoning-fixture';
export const GEMINI_SIGNATURE = 'CiQB0gemini-thought-signature-fixture';
export const CONVERSE_SIGNATURE = 'ErcBCkgIBhABGAIiQconverse-reasoning-signature-fixture';

export function withNativeState(response: CanonicalResponse, wire: UpstreamWireKind): CanonicalResponse {
  const parts = response.parts.map((part): OutputPart => {
    if (part.type === 'reasoning') {
      if (wire === 'claude') return { ...part, origin: wire, signature: CLAUDE_SIGNATURE };
      if (wire === 'openai-responses')
        return { ...part, origin: wire, itemId: 'rs_fixture1', encryptedContent: OPENAI_ENCRYPTED };
      if (wire === 'gemini') return { ...part, origin: wire, signature: GEMINI_SIGNATURE };
      if (wire === 'bedrock-converse') return { ...part, origin: wire, signature: CONVERSE_SIGNATURE };
      return { ...part, origin: wire };
    }
    if (part.type === 'tool-call' && wire === 'gemini')
      return { ...part, thoughtSignature: GEMINI_SIGNATURE };
    return part;
  });
  return { ...response, parts };
}

/** The wires whose providers need opaque state back, with the value that must reach them. */
export const OPAQUE_STATE: Partial<Record<UpstreamWireKind, string>> = {
  claude: CLAUDE_SIGNATURE,
  'openai-responses': OPENAI_ENCRYPTED,
  gemini: GEMINI_SIGNATURE,
  'bedrock-converse': CONVERSE_SIGNATURE,
};
