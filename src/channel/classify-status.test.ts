import { describe, expect, it } from 'vitest';
import { classifyStatus, retryAfterMs } from './classify-status';
import type { Outcome } from './contract';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('classifyStatus', () => {
  const table: Array<[number, Outcome['kind']]> = [
    [200, 'success'],
    [201, 'success'],
    [204, 'success'],
    [400, 'permanent'],
    [401, 'auth-dead'],
    [403, 'auth-dead'],
    [404, 'permanent'],
    [408, 'transient'],
    [409, 'transient'],
    [413, 'permanent'],
    [422, 'permanent'],
    [429, 'rate-limited'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
    [529, 'transient'],
    [302, 'permanent'],
  ];
  it.each(table)('status %i is %s', (status, kind) => {
    expect(classifyStatus({ status, headers: {}, now: NOW }).kind).toBe(kind);
  });

  it('reads Retry-After on 429', () => {
    expect(classifyStatus({ status: 429, headers: { 'retry-after': '7' }, now: NOW })).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 7000,
    });
    expect(classifyStatus({ status: 429, headers: {}, now: NOW })).toEqual({
      kind: 'rate-limited',
      retryAfterMs: undefined,
    });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, fractional seconds and retry-after-ms (which wins)', () => {
    expect(retryAfterMs({ 'retry-after': '2' }, NOW)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': ' 0.5 ' }, NOW)).toBe(500);
    expect(retryAfterMs({ 'retry-after': '0' }, NOW)).toBe(0);
    expect(retryAfterMs({ 'retry-after': '20', 'retry-after-ms': '1234.2' }, NOW)).toBe(1235);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(retryAfterMs({ 'retry-after': 'Wed, 01 Jan 2025 12:00:30 GMT' }, NOW)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 01 Jan 2025 11:59:00 GMT' }, NOW)).toBe(0);
  });

  it('takes the first of repeated headers and ignores garbage', () => {
    expect(retryAfterMs({ 'retry-after': ['3', '9'] }, NOW)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': '-5' }, NOW)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after-ms': 'x' }, NOW)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': undefined }, NOW)).toBeUndefined();
  });
});
