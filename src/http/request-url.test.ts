import { describe, expect, it } from 'vitest';
import { requestTarget } from './request-url';

describe('requestTarget', () => {
  it.each([
    'http://127.0.0.1:8790/v1/chat/completions',
    'http://localhost/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse&key=sk-gp-1',
    'https://gw.example.com/v1/models/a%2Fb:generateContent?key=a+b%20c&key=second',
    'http://[::1]:8080/v1/messages?',
    'http://h/v1/responses?x=1#frag?y=2',
    'http://h/v1/responses#frag',
    'http://h',
    'http://h/',
  ])('cuts %s as URL parses it', (href) => {
    const url = new URL(href);
    const target = requestTarget(url.href);
    expect(target.pathname).toBe(url.pathname);
    expect([...target.query]).toEqual([...url.searchParams]);
  });
});
