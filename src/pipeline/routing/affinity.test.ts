import { describe, expect, it } from 'vitest';
import type { KeyIdentity } from '../../control-plane/snapshot';
import type { GatewayRequest } from '../gateway-request';
import type { WireKind } from '../../protocol/operation';
import { affinityKey, MemoryAffinityStore } from './affinity';
import { conversationHead } from './conversation-head';

const identity = { key: { id: 'key-1' }, user: { id: 'u' } } as unknown as KeyIdentity;

function request(wire: WireKind, body: unknown, sessionId?: string): GatewayRequest {
  return {
    operation: { operation: 'generate-content', wire },
    body,
    sessionId,
  } as unknown as GatewayRequest;
}

describe('MemoryAffinityStore', () => {
  it('keeps a pin for its TTL, rolling on every set', async () => {
    const store = new MemoryAffinityStore();
    const pin = { memberId: 'm', credentialId: 'c' };
    await store.set('k', pin, 1000, 0);
    expect(await store.get('k', 999)).toEqual(pin);
    expect(await store.get('k', 1000)).toBeUndefined();
    await store.set('k', pin, 1000, 500);
    await store.set('k', pin, 1000, 1400);
    expect(await store.get('k', 2399)).toEqual(pin);
  });

  it('stays within its size, dropping the least recently pinned subject', async () => {
    const store = new MemoryAffinityStore(2);
    for (const key of ['a', 'b', 'c']) await store.set(key, { memberId: key, credentialId: null }, 1000, 0);
    expect(await store.get('a', 1)).toBeUndefined();
    expect((await store.get('c', 1))?.memberId).toBe('c');
  });
});

describe('conversationHead', () => {
  const system = 'You are terse.';
  it('reads system and first user turn in every wire, ignoring later turns', () => {
    const chat = conversationHead('openai-chat', {
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'more' },
      ],
    });
    expect(chat).toBe(JSON.stringify([system, 'hi']));
    expect(
      conversationHead('openai-chat', {
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'user', content: 'x' },
        ],
      }),
    ).toBe(JSON.stringify([null, 'hi']));
    expect(conversationHead('openai-responses', { instructions: system, input: 'hi' })).toBe(chat);
    expect(
      conversationHead('claude', {
        system,
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'a' },
        ],
      }),
    ).toBe(chat);
    expect(
      conversationHead('gemini', {
        systemInstruction: { parts: [{ text: system }] },
        contents: [{ parts: [{ text: 'hi' }] }],
      }),
    ).toBe(JSON.stringify([{ parts: [{ text: system }] }, [{ text: 'hi' }]]));
    expect(conversationHead('claude', { messages: [] })).toBeNull();
  });
});

describe('affinityKey', () => {
  it('keys on the user key, the session header, or a hash of the conversation head only', async () => {
    const body = { messages: [{ role: 'user', content: 'my secret prompt' }] };
    const userKey = await affinityKey(
      'r',
      { subject: 'user_key', ttlSeconds: 60 },
      request('openai-chat', body),
      identity,
    );
    expect(userKey).toContain('key-1');
    const session = { subject: 'session', ttlSeconds: 60 } as const;
    expect(await affinityKey('r', session, request('openai-chat', body, 'abc'), identity)).toContain('abc');
    expect(await affinityKey('r', session, request('openai-chat', body), identity)).toBeNull();
    const conversation = { subject: 'conversation', ttlSeconds: 60 } as const;
    const first = await affinityKey('r', conversation, request('openai-chat', body), identity);
    const later = await affinityKey(
      'r',
      conversation,
      request('openai-chat', {
        messages: [...body.messages, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'next' }],
      }),
      identity,
    );
    expect(first).toBe(later);
    expect(first).toMatch(/[0-9a-f]{64}$/);
    expect(first).not.toContain('secret');
  });
});
