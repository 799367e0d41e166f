import { describe, expect, it } from 'vitest';
import { REDACTED, capText, redactBody, redactHeaders, redactUrl } from './redact';

describe('redaction', () => {
  it('hides credential headers of every provider and keeps the rest', () => {
    expect(
      redactHeaders({
        authorization: 'Bearer sk-live',
        'x-api-key': 'sk-ant',
        'x-goog-api-key': 'AIza',
        'api-key': 'azure',
        cookie: 'gproxy_session=abc',
        'x-amz-security-token': 'tok',
        'x-gproxy-session-id': 'conversation-1',
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      }),
    ).toEqual({
      authorization: REDACTED,
      'x-api-key': REDACTED,
      'x-goog-api-key': REDACTED,
      'api-key': REDACTED,
      cookie: REDACTED,
      'x-amz-security-token': REDACTED,
      'x-gproxy-session-id': REDACTED,
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
    });
  });

  it('hides sensitive query parameters by name', () => {
    expect(redactUrl('/v1beta/models/g:generateContent?key=AIza123&alt=sse')).toBe(
      `/v1beta/models/g:generateContent?key=${REDACTED}&alt=sse`,
    );
    expect(redactUrl('https://x/y?X-Amz-Signature=abc&access_token=t&page=2')).toBe(
      `https://x/y?X-Amz-Signature=${REDACTED}&access_token=${REDACTED}&page=2`,
    );
    expect(redactUrl('/v1/chat/completions')).toBe('/v1/chat/completions');
  });

  it('hides sensitive JSON keys at any depth and keeps the conversation', () => {
    const body = JSON.stringify({
      model: 'gpt',
      messages: [{ role: 'user', content: 'my password is in the text, which stays' }],
      metadata: { api_key: 'sk-1', nested: [{ client_secret: 's', refresh_token: 'r' }] },
    });
    expect(JSON.parse(redactBody(body, 10_000))).toEqual({
      model: 'gpt',
      messages: [{ role: 'user', content: 'my password is in the text, which stays' }],
      metadata: { api_key: REDACTED, nested: [{ client_secret: REDACTED, refresh_token: REDACTED }] },
    });
    // Token counts are not secrets.
    expect(JSON.parse(redactBody('{"usage":{"prompt_tokens":3,"max_tokens":5}}', 100))).toEqual({
      usage: { prompt_tokens: 3, max_tokens: 5 },
    });
  });

  it('caps captured text by UTF-8 bytes without breaking a character', () => {
    expect(capText('abc', 3)).toBe('abc');
    expect(capText('abcdef', 3)).toBe('abc…[truncated 3 bytes]');
    expect(capText('éé', 3)).toBe('é…[truncated 2 bytes]');
    expect(redactBody('data: not json\n\n'.repeat(10), 20)).toMatch(
      /^data: not json\n\ndata…\[truncated 140 bytes\]$/,
    );
  });
});
