/**
 * The outcome of an upstream answer from its status, shared by every HTTP channel: what the
 * pipeline needs to decide between success, failover, cooling a credential and giving up.
 */
import type { ClassifyInput, Outcome, ResponseHeaders } from './contract';
import { headerValue } from './headers';

/** Statuses worth another candidate: request timeout, conflict (OpenAI's lock timeouts), all 5xx (Anthropic's 529 overloaded included). */
function isTransient(status: number): boolean {
  return status === 408 || status === 409 || status >= 500;
}

export function classifyStatus({ status, headers, now }: ClassifyInput): Outcome {
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status === 401 || status === 403) return { kind: 'auth-dead' };
  if (status === 429) return { kind: 'rate-limited', retryAfterMs: retryAfterMs(headers, now) };
  if (isTransient(status)) return { kind: 'transient' };
  return { kind: 'permanent' };
}

/**
 * How long the upstream asks us to wait, in milliseconds: OpenAI's `retry-after-ms`, else
 * `retry-after` as seconds or as an HTTP date relative to `now`. Unreadable values give undefined.
 */
export function retryAfterMs(headers: ResponseHeaders, now: number): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = headerValue(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // Every HTTP-date form starts with a day name; Date.parse alone would read "-5" as a year.
  const date = /^[A-Za-z]{3}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
