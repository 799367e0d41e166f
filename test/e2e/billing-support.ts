/** Shared helpers of the billing end-to-end tests: a priced bundle, calls, and ledger reads. */
import { fakeUpstreamBundle, USER_KEY } from '../support/gateway';

export const ADMIN_KEY = 'sk-gp-root-0000001';

/**
 * The fake-upstream bundle plus an admin and operator price rules (USD per 1M tokens) for the
 * upstream models of its routes; `mock-1` stays unpriced.
 */
export function pricedBundle(upstreamUrl: string): Record<string, unknown> {
  const bundle = fakeUpstreamBundle(upstreamUrl) as Record<string, unknown[]>;
  return {
    ...bundle,
    users: [
      ...(bundle['users'] ?? []),
      { name: 'root', admin: true, keys: [{ label: 'k', key: ADMIN_KEY }] },
    ],
    prices: [
      { name: 'oa-mini', provider: 'oa', model: 'gpt-4o-mini', input: '1', output: '2', cached_input: '0.5' },
      {
        name: 'an-haiku',
        provider: 'an',
        model: 'claude-haiku-4-5',
        input: '1',
        output: '5',
        cached_input: '0.1',
        cache_write_5m: '1.25',
        cache_write_1h: '2',
      },
      {
        name: 'ge-flash',
        // Provider-scoped: a provider glob beats the catalogue's global exact entry.
        provider: 'ge',
        model: 'gemini-2.5-*',
        match: 'glob',
        input: '0.3',
        output: '2.5',
        cached_input: '0.03',
        tiers: [{ above_input_tokens: 10, input: '0.6', output: '5' }],
      },
    ],
  };
}

export interface Call {
  status: number;
  requestId: string;
  text: string;
}

export async function call(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Call> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}`, ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    requestId: response.headers.get('x-gproxy-request-id') ?? '',
    text: await response.text(),
  };
}

/** The caller's usage record of one request, read through the self-service endpoint. */
export function ledgerRecord(base: string, requestId: string): Promise<Record<string, unknown>> {
  return ledgerFind(base, (entry) => entry['requestId'] === requestId, requestId);
}

/** The first of the caller's usage records (newest first) that `match` accepts; waits for it. */
export async function ledgerFind(
  base: string,
  match: (entry: Record<string, unknown>) => boolean,
  what = 'the match',
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const response = await fetch(`${base}/v1/gproxy/usage?limit=1000`, {
      headers: { authorization: `Bearer ${USER_KEY}` },
    });
    const page = (await response.json()) as { data: Record<string, unknown>[] };
    const record = page.data.find(match);
    if (record !== undefined) return record;
    if (Date.now() > deadline) throw new Error(`No usage record for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** pico-USD for `tokens` at `usdPerMillion`: 1 USD / 1M tokens is 10^6 pico-USD a token. */
export const pico = (tokens: number, usdPerMillion: number): number =>
  Math.round(tokens * usdPerMillion * 1e6);
