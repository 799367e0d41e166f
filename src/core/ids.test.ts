import { describe, expect, it } from 'vitest';
import { generateUserKey, newRequestId } from './ids';

describe('newRequestId', () => {
  it('is req_ + the time in base 36 + 10 base62 characters', () => {
    const now = Date.UTC(2026, 10, 25);
    const id = newRequestId(now);
    expect(id).toMatch(new RegExp(`^req_${now.toString(36)}[0-9A-Za-z]{10}$`));
  });

  it('stays unique and uses the whole alphabet across many pool refills', () => {
    const ids = new Set<string>();
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const id = newRequestId(1);
      ids.add(id);
      for (const char of id.slice(-10)) seen.add(char);
    }
    expect(ids.size).toBe(50_000);
    expect(seen.size).toBe(62);
  });

  it('sorts by time in its first characters', () => {
    const earlier = newRequestId(Date.UTC(2026, 0, 1));
    const later = newRequestId(Date.UTC(2026, 0, 2));
    expect(earlier.slice(0, 12) < later.slice(0, 12)).toBe(true);
  });
});

describe('generateUserKey', () => {
  it('is sk-gp- + 40 base62 characters, fresh each time', () => {
    const a = generateUserKey();
    expect(a).toMatch(/^sk-gp-[0-9A-Za-z]{40}$/);
    expect(generateUserKey()).not.toBe(a);
  });
});
