/**
 * Quota admission and settlement on the request path (docs/tenancy.md, "Quotas"). Before the first
 * upstream attempt one `cache.consume` reserves the estimated cost (estimateCost at the first
 * candidate's price, in micro-USD rounded up) against every budget on the chain, all or nothing; a
 * refusal is 402 `quota_exceeded`. At settlement, on every end state, one `release` replaces the
 * reservation with the actual cost (refunding the difference, or charging the excess with a
 * negative cost). An unpriced first candidate reserves 0 but the request still counts its actual
 * cost if settlement prices it (else 0).
 */
import type { CacheBackend } from '../../control-plane/cache-port';
import { estimateCost } from '../../control-plane/pricing/estimate-cost';
import { utf8ByteLength } from '../../core/utf8';
import { findPrice } from '../../control-plane/pricing/price-book';
import type { KeyIdentity, Snapshot } from '../../control-plane/snapshot';
import { GatewayError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { GatewayRequest } from '../gateway-request';
import type { Candidate } from '../plan';
import { maxOutputTokensOf } from '../rate-limits/plan-buckets';
import {
  applicableQuotas,
  planQuotaBuckets,
  reservationMicroUsd,
  type PlannedQuotaBucket,
} from './plan-quota-buckets';
import { consumeForAdmission, type AdmissionDeps } from '../cache-down';
import type { QuotaHolds } from './quota-holds';

/** An admitted request's reservation; `settle` runs once, whatever the end state. */
export class QuotaReservation {
  private settled = false;

  constructor(
    private readonly cache: CacheBackend,
    private readonly logger: Logger,
    private readonly planned: readonly PlannedQuotaBucket[],
    private readonly reservedAt: number,
    readonly reservedMicroUsd: number,
    private readonly requestId: string,
    /** Forgets the reservation in this instance's hold journal (quota-holds.ts). */
    private readonly forget: () => void = () => undefined,
  ) {}

  /** `costPicoUsd`: the ledger's cost (decimal pico-USD), null when unpriced or nothing to bill. */
  settle(costPicoUsd: string | null): Promise<void> {
    if (this.settled) return Promise.resolve();
    this.settled = true;
    this.forget();
    const actual = reservationMicroUsd(costPicoUsd === null ? null : BigInt(costPicoUsd));
    const refund = this.reservedMicroUsd - actual;
    if (refund === 0) return Promise.resolve();
    const buckets = this.planned.map(({ bucket }) => ({
      key: bucket.key,
      windowMs: bucket.windowMs,
      cost: refund,
    }));
    return this.cache.release(buckets, this.reservedAt).catch((error: unknown) => {
      this.logger.warn(
        { requestId: this.requestId, error: error instanceof Error ? error.message : String(error) },
        'quotas: could not settle the reservation (it expires with its window)',
      );
    });
  }
}

export interface QuotaKeeperDeps extends AdmissionDeps {
  /** Where reservations in flight are journaled so a crash cannot leave them counted for good. */
  holds?: QuotaHolds | undefined;
}

export class QuotaKeeper {
  constructor(private readonly deps: QuotaKeeperDeps) {}

  /** Null when no quota applies (or the cache is down and the operator chose `allow`). */
  async reserve(
    snapshot: Snapshot,
    request: GatewayRequest,
    identity: KeyIdentity,
    routeName: string | null,
    first: Candidate | undefined,
  ): Promise<QuotaReservation | null> {
    if (snapshot.quotas.empty) return null;
    const quotas = applicableQuotas(snapshot.quotas.chain(identity.user, identity.key), {
      requested: request.model,
      routeName,
    });
    if (quotas.length === 0) return null;
    const rule =
      first === undefined
        ? null
        : findPrice(
            snapshot.prices,
            first.member.provider.name,
            first.member.upstreamModel,
            request.receivedAt,
          );
    const estimate = estimateCost(rule, {
      inputBytes: utf8ByteLength(request.bodyText),
      maxOutputTokens: maxOutputTokensOf(request.body),
    });
    const cost = reservationMicroUsd(estimate.totalPicoUsd);
    const planned = planQuotaBuckets(quotas, cost);
    if (planned.length === 0) return null;
    const buckets = planned.map((p) => p.bucket);
    const consumed = await consumeForAdmission('quotas', this.deps, buckets, snapshot, request.requestId);
    if (consumed === null) return null;
    const { cache, result, now } = consumed;
    if (!result.allowed) throw refusal(planned[result.bucket], result.tooLarge, cost);
    const forget =
      cost > 0 && this.deps.holds !== undefined
        ? this.deps.holds.hold({ buckets, reservedAt: now, microUsd: cost })
        : undefined;
    return new QuotaReservation(cache, this.deps.logger, planned, now, cost, request.requestId, forget);
  }
}

const usd = (micro: number): string => (micro / 1_000_000).toFixed(6).replace(/\.?0+$/, '');

function refusal(refused: PlannedQuotaBucket | undefined, tooLarge: boolean, cost: number): GatewayError {
  if (refused === undefined) return new GatewayError('quota_exceeded', 'Quota exceeded.');
  const what = `${refused.quota.subjectKind} ${refused.window} quota of $${usd(refused.bucket.limit)}`;
  const message = tooLarge
    ? `This request (estimated at up to $${usd(cost)}) alone exceeds the ${what}; lower max_tokens or the input size.`
    : `Quota exhausted: the ${what} is spent.`;
  return new GatewayError('quota_exceeded', message);
}
