/** Header handling shared by channels: only allow-listed client headers ever reach an upstream. */
import type { ResponseHeaders } from './contract';

/** A response header's first value (names are lower-case in ResponseHeaders). */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The client headers named in `allowed` (lower-case). An allow-list, not a deny-list, so the
 * client's own credentials (authorization, x-api-key, x-goog-api-key, cookies) can never leak upstream.
 */
export function pickClientHeaders(
  clientHeaders: Readonly<Record<string, string>>,
  allowed: readonly string[],
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of allowed) {
    const value = clientHeaders[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
