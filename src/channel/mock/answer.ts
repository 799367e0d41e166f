/**
 * What the mock answers, derived only from the request so tests and benchmarks can predict it:
 * "This is a mock answer to: <last user text>" split into words, with token counts from the text.
 */
import type { WireKind } from '../../protocol/operation';
import { asObject } from '../../protocol/json-access';

export interface MockAnswer {
  model: string;
  text: string;
  /** The text in stream order; joined they give `text`. */
  pieces: string[];
  inputTokens: number;
  outputTokens: number;
}

const PROMPT_LIMIT = 200;

/** The text of a message's content: a string, or the `text` of each part (every wire names it so). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    const text = asObject(part)?.['text'];
    if (typeof text === 'string') texts.push(text);
  }
  return texts.join(' ');
}

function messagesOf(wire: WireKind, body: Record<string, unknown>): unknown {
  switch (wire) {
    case 'openai-chat':
    case 'claude':
      return body['messages'];
    case 'openai-responses':
      return body['input'];
    case 'gemini':
      return body['contents'];
  }
}

export function lastUserText(wire: WireKind, body: unknown): string {
  const object = asObject(body);
  if (!object) return '';
  const messages = messagesOf(wire, object);
  if (typeof messages === 'string') return messages;
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = asObject(messages[i]);
    const role = message?.['role'];
    // Gemini may leave the role out of user turns.
    if (role === 'user' || (wire === 'gemini' && role === undefined)) {
      return contentText(message?.['content'] ?? message?.['parts']);
    }
  }
  return '';
}

/** Splits words into at most `cap` pieces of consecutive words. */
function groupPieces(words: string[], cap: number | undefined): string[] {
  if (cap === undefined || cap <= 0 || cap >= words.length) return words;
  const pieces: string[] = [];
  for (let i = 0; i < cap; i++) {
    const from = Math.floor((i * words.length) / cap);
    const to = Math.floor(((i + 1) * words.length) / cap);
    pieces.push(words.slice(from, to).join(''));
  }
  return pieces;
}

export function planMockAnswer(wire: WireKind, body: unknown, model: string, chunkCap?: number): MockAnswer {
  const prompt = Array.from(lastUserText(wire, body).replace(/\s+/g, ' ').trim())
    .slice(0, PROMPT_LIMIT)
    .join('');
  const text = prompt === '' ? 'This is a mock answer.' : `This is a mock answer to: ${prompt}`;
  const words = text.match(/\s*\S+/g) ?? [text];
  return {
    model,
    text,
    pieces: groupPieces(words, chunkCap),
    inputTokens: Math.max(1, Math.ceil(JSON.stringify(body ?? null).length / 4)),
    outputTokens: words.length,
  };
}
