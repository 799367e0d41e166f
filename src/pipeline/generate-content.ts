/**
 * The generate-content orchestrator: resolve -> order (strategy, affinity) -> plan -> attempts
 * with failover -> respond -> settle. Everything it reads comes from the snapshot; nothing here
 * touches the database.
 */
import type { ChannelCache, Transport, TransportTimeouts } from '../channel/contract';
import type { ChannelRegistry } from '../channel/registry';
import type { Clock } from '../core/clock';
import { toGatewayError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { CacheBackend } from '../control-plane/cache-port';
import type { UsageSink } from '../control-plane/ports';
import type { RequestLogSink } from '../control-plane/request-log';
import type { KeyIdentity, Snapshot } from '../control-plane/snapshot';
import { GENERATE_CONTENT_WIRES } from '../protocol/wires';
import { AttemptTrace } from './attempt-trace';
import { Authenticator } from './authenticate';
import { CanonicalRequestSource } from './convert/request-conversion';
import type { Exchange } from './exchange';
import type { GatewayRequest, GatewayResponse } from './gateway-request';
import { withKeepAlive } from './keep-alive';
import type { Plan } from './plan';
import { contentTypeOf, respond, type RespondEnd } from './respond';
import { ROUTE_HEADER, tagRouteHeader } from './route-header';
import { runAttempts } from './attempt-loop';
import type { BudgetGate } from './credentials/budgets';
import { credentialBudgetsFor } from './credentials/shared-budgets';
import { HealthBook } from './health/health-book';
import type { AffinityStore } from './routing/affinity';
import { affinityStoreFor } from './routing/shared-affinity';
import { RoutePlanner, type RoutedRequest } from './routing/route-planner';
import { recordRequestLog, requestLogEntry } from './request-log-entry';
import { responseCaptureFor, type ResponseCapture } from './response-capture';
import { refuseUnpriced } from './refuse-unpriced';
import { RateLimiter, type Admission } from './rate-limits/admission';
import { QuotaKeeper, type QuotaReservation } from './quotas/quota-admission';
import type { QuotaHolds } from './quotas/quota-holds';
import { streamModeOf } from './stream-mode';
import { settle, type SettleFacts } from './settle';

export interface PipelineLimits {
  /** Upstream attempts per request, across members and credentials. */
  maxAttempts: number;
  timeouts: TransportTimeouts;
  /** Largest non-streamed upstream body read into memory. */
  maxResponseBytes: number;
  /** How long a synthetic stream waits before (and between) keep-alive lines. */
  keepAliveMs: number;
}

export const DEFAULT_PIPELINE_LIMITS: PipelineLimits = {
  maxAttempts: 6,
  timeouts: { connectMs: 10_000, firstByteMs: 120_000, idleMs: 120_000 },
  maxResponseBytes: 64 * 1024 * 1024,
  keepAliveMs: 10_000,
};

export interface PipelineDeps {
  snapshots: { readonly current: Snapshot };
  channels: ChannelRegistry;
  transport: Transport;
  usage: UsageSink;
  clock: Clock;
  logger: Logger;
  limits: PipelineLimits;
  /** Per-process cache for state channels derive from credentials. */
  channelCache: ChannelCache;
  /** GPROXY_UPSTREAM_PROXY: the proxy for providers and credentials that name none. */
  instanceProxy?: string;
  /** Shared health book (tests inject one); a fresh one otherwise. */
  health?: HealthBook;
  /** Journals quota reservations in flight, so a crash cannot leave them counted (quota-holds.ts). */
  quotaHolds?: QuotaHolds;
  /** Where route affinity pins live; by default the shared cache backend, else an in-process map. */
  affinity?: AffinityStore;
  /** [0, 1) for the `weighted` strategy; Math.random by default (tests pin it). */
  random?: () => number;
  /** Where request-log records go (instance setting `request_log`); absent = not kept. */
  requestLog?: RequestLogSink;
  /** Rate-limit counters (docs/tenancy.md); absent: limits act as if the cache were down. */
  cache?: CacheBackend;
}

type RequestFacts = Pick<SettleFacts, 'request' | 'identity' | 'routeName' | 'candidate'>;

export class GenerateContentPipeline {
  private readonly authenticator: Authenticator;

  /**
   * Routing state. Credential budgets are counted in the cache when it is shared between
   * instances; health is kept per process and shares its cooldowns and breaker openings
   * (health/health-events.ts). Per process: rotation turns, sticky subjects, strategy state and
   * affinity pins in the planner.
   */
  readonly health: HealthBook;
  private readonly budgets: BudgetGate;
  private readonly planner: RoutePlanner;
  private readonly rateLimiter: RateLimiter;
  private readonly quotas: QuotaKeeper;

  constructor(private readonly deps: PipelineDeps) {
    this.rateLimiter = new RateLimiter({
      cache: deps.cache,
      logger: deps.logger,
      now: () => deps.clock.now(),
    });
    this.quotas = new QuotaKeeper({
      cache: deps.cache,
      logger: deps.logger,
      now: () => deps.clock.now(),
      holds: deps.quotaHolds,
    });
    this.authenticator = new Authenticator(deps.clock);
    this.health = deps.health ?? new HealthBook();
    this.budgets = credentialBudgetsFor(deps.cache, deps.logger);
    this.planner = new RoutePlanner({
      channels: deps.channels,
      affinity: deps.affinity ?? affinityStoreFor(deps.cache, deps.logger),
      random: deps.random,
    });
  }

  /** The snapshot requests are served from now (model listings read it). */
  get snapshot(): Snapshot {
    return this.deps.snapshots.current;
  }

  /** Authenticates before anything else, so an unauthenticated caller learns nothing about the body. */
  authenticate(presentedKey: string | undefined): Promise<KeyIdentity> {
    return this.authenticator.authenticate(this.deps.snapshots.current, presentedKey);
  }

  handle(request: GatewayRequest, identity: KeyIdentity): Promise<GatewayResponse> {
    const capture = responseCaptureFor(
      this.deps.snapshots.current.settings,
      this.deps.requestLog !== undefined,
    );
    // Without capture, no wrapper: the hot path stays one promise deep.
    if (capture === null) return this.answer(request, identity, null);
    return this.answer(request, identity, capture).then(
      (response) => capture.tap(response),
      (error: unknown) => {
        capture.failed(request.operation.wire, error, request.requestId);
        throw error;
      },
    );
  }

  private async answer(
    request: GatewayRequest,
    identity: KeyIdentity,
    capture: ResponseCapture | null,
  ): Promise<GatewayResponse> {
    const trace = new AttemptTrace(this.deps.clock);
    const facts: RequestFacts = { request, identity, routeName: null, candidate: null };
    const upstreamAbort = new AbortController();
    const onClientGone = (): void => upstreamAbort.abort(request.signal.reason);
    request.signal.addEventListener('abort', onClientGone, { once: true });
    let settled = false;
    // Held from admission to settlement; released on every end state (slots must never leak).
    let admission: Admission | null = null;
    // Likewise the quota reservation: settlement replaces it with the actual cost.
    let reservation: QuotaReservation | null = null;
    const finish = (end: RespondEnd): void => {
      if (settled) return;
      settled = true;
      request.signal.removeEventListener('abort', onClientGone);
      void admission?.settle({ usage: end.usage, producedBytes: end.producedBytes });
      const costPicoUsd = this.settle(facts, trace, end, capture);
      void reservation?.settle(costPicoUsd);
    };

    let planned = false;
    const fail = (error: unknown): never => {
      const failure = toGatewayError(error);
      facts.candidate ??= trace.last;
      // Once the name resolved, error answers say where the request went (x-gproxy-route).
      if (planned) tagRouteHeader(failure, trace.describe(facts.routeName));
      const aborted = request.signal.aborted;
      const endState = aborted
        ? 'client-aborted'
        : failure.code === 'upstream_timeout'
          ? 'timeout'
          : 'rejected';
      finish({
        status: failure.status,
        endState,
        errorCode: failure.code,
        usage: undefined,
        firstByteAt: null,
      });
      throw failure;
    };

    let routing: RoutedRequest;
    try {
      const snapshot = this.deps.snapshots.current;
      routing = this.planner.plan(snapshot, request, identity, this.deps.clock.now());
      if (snapshot.settings.refuse_unpriced)
        refuseUnpriced(snapshot.prices, routing.plan.candidates, request.model, request.receivedAt);
    } catch (error) {
      return fail(error);
    }
    planned = true;
    facts.routeName = routing.resolution.routeName;
    for (const skip of routing.plan.skipped) {
      trace.skip(skip.provider, skip.reason, skip.member.member?.position ?? null, skip.member.upstreamModel);
    }

    const answering = (async (): Promise<GatewayResponse> => {
      const snapshot = this.deps.snapshots.current;
      admission = await this.rateLimiter.admit(snapshot, request, identity, facts.routeName);
      const first = routing.plan.candidates[0];
      reservation = await this.quotas.reserve(snapshot, request, identity, facts.routeName, first);
      await this.planner.applyAffinity(routing, request, identity, this.deps.clock.now());
      const pinned = routing.pinned;
      const exchange = await runAttempts(
        {
          send: {
            transport: this.deps.transport,
            timeouts: this.deps.limits.timeouts,
            clock: this.deps.clock,
            cache: this.deps.channelCache,
            instanceProxy: this.deps.instanceProxy,
          },
          health: this.health,
          budgets: this.budgets,
          clock: this.deps.clock,
          maxAttempts: this.deps.limits.maxAttempts,
          maxResponseBytes: this.deps.limits.maxResponseBytes,
          onAnswered: (candidate, latencyMs) => this.planner.answered(candidate, latencyMs),
        },
        request,
        new CanonicalRequestSource(request),
        routing.plan.candidates,
        trace,
        upstreamAbort.signal,
        pinned === null ? undefined : new Map([[pinned, 'affinity']]),
      );
      facts.candidate = exchange.candidate;
      const outcome = exchange.candidate.channel.classify({
        status: exchange.upstream.status,
        headers: exchange.upstream.headers,
        now: this.deps.clock.now(),
      });
      const now = this.deps.clock.now();
      this.planner.served(routing, exchange.candidate, outcome.kind === 'success', identity, now);
      return respond({
        request,
        exchange,
        outcome,
        headers: this.answerHeaders(request, facts.routeName, exchange, trace),
        clock: this.deps.clock,
        maxResponseBytes: this.deps.limits.maxResponseBytes,
        abortUpstream: () => upstreamAbort.abort(),
        clientGone: () => request.signal.aborted || upstreamAbort.signal.aborted,
        onEnd: finish,
      });
    })().catch(fail);

    if (request.stream && startsSynthetic(routing.plan)) {
      return withKeepAlive(answering, {
        delayMs: this.deps.limits.keepAliveMs,
        intervalMs: this.deps.limits.keepAliveMs,
        wire: GENERATE_CONTENT_WIRES[request.operation.wire],
        format: request.streamFormat,
        requestId: request.requestId,
      });
    }
    return answering;
  }

  private answerHeaders(
    request: GatewayRequest,
    routeName: string | null,
    exchange: Exchange,
    trace: AttemptTrace,
  ): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': contentTypeOf(exchange.upstream.headers),
      [ROUTE_HEADER]: trace.describe(routeName, exchange.candidate),
    };
    if (request.stream) headers['cache-control'] = 'no-cache';
    const retryAfter = exchange.upstream.headers['retry-after'];
    if (typeof retryAfter === 'string' && exchange.upstream.status >= 400)
      headers['retry-after'] = retryAfter;
    return headers;
  }

  /** Returns the ledger's cost (pico-USD as decimal text), null when unpriced or nothing billed. */
  private settle(
    facts: RequestFacts,
    trace: AttemptTrace,
    end: RespondEnd,
    capture: ResponseCapture | null,
  ): string | null {
    const endedAt = this.deps.clock.now();
    const credential = facts.candidate?.credential;
    if (credential != null && end.usage !== undefined) {
      const tokens = end.usage.inputTokens + end.usage.outputTokens;
      this.budgets.recordTokens(credential.id, credential, tokens, endedAt);
    }
    // Written out field by field: object spreads cost more than the rest of settlement on Node 20.
    const record = settle(this.deps.usage, {
      request: facts.request,
      identity: facts.identity,
      routeName: facts.routeName,
      candidate: facts.candidate,
      attempts: trace.attempts,
      status: end.status,
      endState: end.endState,
      errorCode: end.errorCode,
      usage: end.usage,
      producedBytes: end.producedBytes,
      firstByteAt: end.firstByteAt,
      endedAt,
      prices: this.deps.snapshots.current.prices,
    });
    if (this.deps.requestLog !== undefined) {
      const entry = requestLogEntry(this.deps.snapshots.current.settings, facts, trace, end, endedAt);
      if (entry !== null) recordRequestLog(this.deps.requestLog, entry, capture);
    }
    const warned = end.warnings !== undefined && end.warnings.length > 0;
    // A plain first-try success is logged at debug; anything an operator may want to explain
    // (failover, skipped candidates, errors, warnings) at info, with the whole attempt trace.
    const notable = end.endState !== 'complete' || warned || trace.entries.length > 1;
    if (this.deps.logger.debugEnabled || notable) {
      this.deps.logger[notable ? 'info' : 'debug'](
        {
          requestId: facts.request.requestId,
          model: facts.request.model,
          route: facts.routeName,
          status: end.status,
          endState: end.endState,
          errorCode: end.errorCode,
          latencyMs: endedAt - facts.request.receivedAt,
          routeHeader: trace.describe(facts.routeName, facts.candidate),
          attempts: trace.entries,
          warnings: end.warnings,
        },
        'request settled',
      );
    }
    return record.costPicoUsd;
  }
}

/** Whether the first candidate will answer a streaming client with a synthetic stream. */
function startsSynthetic(plan: Plan): boolean {
  const first = plan.candidates[0];
  return (
    first !== undefined &&
    first.rule.kind !== 'local' &&
    streamModeOf(first.member.provider.settings) === 'never'
  );
}
