import { describe, expect, it } from 'vitest';
import { claudePlatformBody } from './claude-platform-body';

describe('claudePlatformBody', () => {
  it('drops model and the client version, sets the platform version first, keeps order', () => {
    const out = claudePlatformBody(
      '{"model":"m","anthropic_version":"client","max_tokens":5,"stream":true,"x":{"y":1}}',
      'platform-1',
      ['stream'],
    );
    expect(JSON.stringify(out)).toBe('{"anthropic_version":"platform-1","max_tokens":5,"x":{"y":1}}');
  });

  it('keeps a __proto__ key as a plain field', () => {
    const out = claudePlatformBody('{"__proto__":{"a":1}}', 'v');
    expect(JSON.stringify(out)).toBe('{"anthropic_version":"v","__proto__":{"a":1}}');
  });

  it('rejects a body that is not a JSON object', () => {
    for (const body of ['[]', 'null', '"x"', '{oops']) {
      expect(() => claudePlatformBody(body, 'v')).toThrow(/must be a JSON object/);
    }
  });
});
