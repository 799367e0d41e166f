import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  capText,
  capturedText,
  redactBody,
  redactHeaders,
  redactText,
  redactUrl,
  scrubSecrets,
} from './redact';

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

  it('keeps JSON with nothing to hide exactly as it was', () => {
    const text = '{\n  "id": "chatcmpl-1",\n  "usage": { "total_tokens": 7 }\n}';
    expect(redactText(text)).toBe(text);
  });

  it('redacts each JSON line of a stream and leaves the other lines alone', () => {
    const stream = [
      'event: message_start',
      'data: {"type":"message_start","message":{"id":"m1","metadata":{"session_id":"s-1"}}}',
      '',
      'data: {"type":"content_block_delta","delta":{"text":"api_key is a word"}}',
      '',
      'data: [DONE]',
      '',
    ].join('\n');
    expect(redactText(stream)).toBe(
      [
        'event: message_start',
        `data: {"type":"message_start","message":{"id":"m1","metadata":{"session_id":"${REDACTED}"}}}`,
        '',
        'data: {"type":"content_block_delta","delta":{"text":"api_key is a word"}}',
        '',
        'data: [DONE]',
        '',
      ].join('\n'),
    );
  });

  it('redacts JSON cut short by the cap, and pretty-printed JSON split across lines', () => {
    expect(redactText('{"choices":[],"access_token":"ya29.secret","text":"unfinis')).toBe(
      `{"choices":[],"access_token":"${REDACTED}","text":"unfinis`,
    );
    expect(redactText('{"client_secret": "abc\\"def", "n": 1, "token": "cut-off')).toBe(
      `{"client_secret": "${REDACTED}", "n": 1, "token": "${REDACTED}"`,
    );
    expect(redactText('[{\n  "password": 1234,\n  "credentials": {\n    "api_key": "k"\n  }')).toBe(
      `[{\n  "password": "${REDACTED}",\n  "credentials": {\n    "api_key": "${REDACTED}"\n  }`,
    );
  });

  it('turns captured bytes into redacted text, marking what the cap dropped', () => {
    const bytes = new TextEncoder().encode('{"token":"t","text":"é"}');
    expect(capturedText(bytes, bytes.byteLength)).toBe(`{"token":"${REDACTED}","text":"é"}`);
    // The cap fell inside "é" (2 bytes): its first byte goes with the dropped ones.
    const cut = bytes.subarray(0, bytes.byteLength - 3);
    expect(capturedText(cut, bytes.byteLength)).toBe(`{"token":"${REDACTED}","text":"…[truncated 4 bytes]`);
  });
});

describe('scrubSecrets', () => {
  it('replaces every occurrence of each secret, and leaves short ones and other text alone', () => {
    const text = 'Incorrect API key provided: sk-live-123456. Again: sk-live-123456; region us-1';
    expect(scrubSecrets(text, ['sk-live-123456', 'us-1'])).toBe(
      `Incorrect API key provided: ${REDACTED}. Again: ${REDACTED}; region us-1`,
    );
    expect(scrubSecrets('nothing here', ['sk-live-123456'])).toBe('nothing here');
  });
});
