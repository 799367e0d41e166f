/**
 * Rate-limit admission and settlement on the request path (docs/tenancy.md, "Rate limits"). Before
 * the first upstream attempt one `cache.consume` takes every bucket that applies, all or nothing;
 * a refusal is 429 `rate_limited` with Retry-After. At settlement, on every end state, one
 * `release` frees the concurrency slots and corrects the token windows with the actual usage
 * (refunding the over-estimate, or charging the excess with a negative cost).
 */
import type { CacheBackend, ReleaseBucket } from '../../control-plane/cache-port';
import { GatewayError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import {
  DEFAULT_ESTIMATE_MAX_OUTPUT_TOKENS,
  estimateInputTokens,
} from '../../control-plane/pricing/estimate-cost';
import type { KeyIdentity, Snapshot } from '../../control-plane/snapshot';
import type { Usage } from '../../protocol/usage';
import type { GatewayRequest } from '../gateway-request';
import {
  applicableLimits,
  countsTokens,
  maxOutputTokensOf,
  planBuckets,
  type PlannedBucket,
} from './plan-buckets';
import { utf8ByteLength } from '../../core/utf8';
import { consumeForAdmission, type AdmissionDeps } from '../cache-down';

/** What settlement knows of the answer. */
export interface LimitSettlement {
  usage: Usage | undefined;
  /** UTF-8 bytes the upstream produced, when it answered without reporting usage. */
  producedBytes?: number | undefined;
}

/** An admitted request's hold on its buckets; `settle` runs once, whatever the end state. */
export class Admission {
  private settled = false;

  constructor(
    private readonly cache: CacheBackend,
    private readonly logger: Logger,
    private readonly planned: readonly PlannedBucket[],
    private readonly admittedAt: number,
    private readonly estimate: { inputTokens: number; total: number },
    private readonly requestId: string,
  ) {}

  /** Fire and forget: a failed release is logged (the gauge's TTL frees a slot left behind). */
  settle(end: LimitSettlement): Promise<void> {
    if (this.settled) return Promise.resolve();
    this.settled = true;
    const actual = actualTokens(end, this.estimate.inputTokens);
    const correction = this.estimate.total - actual;
    const buckets: ReleaseBucket[] = [];
    for (const { bucket, kind } of this.planned) {
      if (bucket.kind === 'gauge') buckets.push(bucket);
      else if ((kind === 'tpm' || kind === 'tpd') && correction !== 0)
        buckets.push({
          key: bucket.key,
          windowMs: bucket.windowMs,
          cost: correction,
        });
    }
    if (buckets.length === 0) return Promise.resolve();
    return this.cache.release(buckets, this.admittedAt).catch((error: unknown) => {
      this.logger.warn(
        { requestId: this.requestId, error: error instanceof Error ? error.message : String(error) },
        'rate limits: could not settle (concurrency slots free when their gauge expires)',
      );
    });
  }
}

function actualTokens(end: LimitSettlement, estimatedInput: number): number {
  if (end.usage !== undefined) return end.usage.inputTokens + end.usage.outputTokens;
  // Answered without usage: the input as estimated plus the output counted from its bytes.
  if (end.producedBytes !== undefined) return estimatedInput + estimateInputTokens(end.producedBytes);
  return 0;
}

export type RateLimiterDeps = AdmissionDeps;

export class RateLimiter {
  constructor(private readonly deps: RateLimiterDeps) {}

  /** Null when no limit applies (or the cache is down and the operator chose `allow`). */
  async admit(
    snapshot: Snapshot,
    request: GatewayRequest,
    identity: KeyIdentity,
    routeName: string | null,
  ): Promise<Admission | null> {
    if (snapshot.rateLimits.empty) return null;
    const limits = applicableLimits(snapshot.rateLimits.chain(identity.user, identity.key), {
      requested: request.model,
      routeName,
    });
    if (limits.length === 0) return null;
    const estimate = { inputTokens: 0, total: 0 };
    if (countsTokens(limits)) {
      estimate.inputTokens = estimateInputTokens(utf8ByteLength(request.bodyText));
      estimate.total =
        estimate.inputTokens + (maxOutputTokensOf(request.body) ?? DEFAULT_ESTIMATE_MAX_OUTPUT_TOKENS);
    }
    const planned = planBuckets(limits, estimate.total);
    if (planned.length === 0) return null;
    const buckets = planned.map((p) => p.bucket);
    const consumed = await consumeForAdmission(
      'rate limits',
      this.deps,
      buckets,
      snapshot,
      request.requestId,
    );
    if (consumed === null) return null;
    const { cache, result, now } = consumed;
    if (!result.allowed) {
      const refused = planned[result.bucket];
      throw refusal(refused, result.retryAfterMs, result.tooLarge, estimate.total);
    }
    return new Admission(cache, this.deps.logger, planned, now, estimate, request.requestId);
  }
}

const KIND_TEXT = {
  rpm: 'requests per minute',
  rpd: 'requests per day',
  tpm: 'tokens per minute',
  tpd: 'tokens per day',
  max_concurrent: 'concurrent requests',
} as const;

function refusal(
  refused: PlannedBucket | undefined,
  retryAfterMs: number,
  tooLarge: boolean,
  estimatedTokens: number,
): GatewayError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  if (refused === undefined)
    return new GatewayError('rate_limited', 'Rate limit exceeded.', { retryAfterSeconds });
  const what = `${refused.limit.subjectKind} limit of ${refused.bucket.limit} ${KIND_TEXT[refused.kind]}`;
  const message = tooLarge
    ? `This request (about ${estimatedTokens} tokens) alone exceeds the ${what}; lower max_tokens or the input size.`
    : `Rate limit reached: the ${what}. Retry after ${retryAfterSeconds} s.`;
  return new GatewayError('rate_limited', message, { retryAfterSeconds });
}
