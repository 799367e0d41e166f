/**
 * The head of a conversation: its system prompt and first user turn, read from the client's
 * request in its own wire. Affinity by conversation keys on a hash of it, so every turn of one
 * conversation (which repeats the same head) lands where its prompt cache is warm.
 */
import type { WireKind } from '../../protocol/operation';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

function firstWithRole(
  items: readonly unknown[],
  roles: readonly string[],
  allowMissing = false,
): Json | undefined {
  for (const item of items) {
    const object = asObject(item);
    const role = object?.['role'];
    if (object !== undefined && (roles.includes(String(role)) || (allowMissing && role === undefined))) {
      return object;
    }
  }
  return undefined;
}

/** `[system, first user turn]` as JSON text, or null when the request has no user turn. */
export function conversationHead(wire: WireKind, body: unknown): string | null {
  const request = asObject(body);
  if (request === undefined) return null;
  let system: unknown;
  let user: unknown;
  switch (wire) {
    case 'openai-chat': {
      const messages = asArray(request['messages']);
      system = firstWithRole(messages, ['system', 'developer'])?.['content'];
      user = firstWithRole(messages, ['user'])?.['content'];
      break;
    }
    case 'openai-responses': {
      system = request['instructions'];
      const input = request['input'];
      user = typeof input === 'string' ? input : firstWithRole(asArray(input), ['user'])?.['content'];
      break;
    }
    case 'claude':
      system = request['system'];
      user = firstWithRole(asArray(request['messages']), ['user'])?.['content'];
      break;
    case 'gemini':
      system = request['systemInstruction'] ?? request['system_instruction'];
      // Gemini lets a single-turn request leave the role out.
      user = firstWithRole(asArray(request['contents']), ['user'], true)?.['parts'];
      break;
  }
  if (user === undefined) return null;
  return JSON.stringify([system ?? null, user]);
}
