/**
 * Instance setting `refuse_unpriced`: a request whose every candidate (provider x upstream model)
 * has no price rule is refused before anything is sent, with 403 `unpriced_model` in the client's
 * own error format. 403 rather than 402: nothing is owed or exhausted — the operator's policy
 * forbids models without a price (402 is what an exhausted quota answers).
 */
import { GatewayError } from '../core/errors';
import { findPrice, type PriceBook } from '../control-plane/pricing/price-book';
import type { Candidate } from './plan';

export function refuseUnpriced(
  prices: PriceBook,
  candidates: readonly Candidate[],
  model: string,
  at: number,
): void {
  if (candidates.length === 0) return;
  const priced = candidates.some(
    (candidate) =>
      findPrice(prices, candidate.member.provider.name, candidate.member.upstreamModel, at) !== null,
  );
  if (priced) return;
  throw new GatewayError(
    'unpriced_model',
    `No price is configured for model "${model}" and this gateway refuses unpriced requests. ` +
      'An operator can add a price rule (/admin/prices) or turn off the refuse_unpriced setting.',
    { param: 'model' },
  );
}
