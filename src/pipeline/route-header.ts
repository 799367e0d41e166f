/**
 * `x-gproxy-route` on error answers: the pipeline tags the error it throws with the header value
 * (which route, member, provider and credential answered last, after how many attempts), and the
 * one error exit (http/error-response.ts) adds it to the response.
 */

export const ROUTE_HEADER = 'x-gproxy-route';

const tagged = new WeakMap<object, string>();

export function tagRouteHeader(error: unknown, value: string): void {
  if (typeof error === 'object' && error !== null) tagged.set(error, value);
}

export function routeHeaderOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? tagged.get(error) : undefined;
}
