/**
 * The generate-content orchestrator: authenticate -> resolve -> plan -> attempts with failover ->
 * answer (passthrough or relayed stream) -> settle. Everything it reads comes from the snapshot;
 * nothing here touches the database.
 */
import type { StreamFormat, Transport, TransportTimeouts, UpstreamResponse } from '../channel/contract';
import type { ChannelRegistry } from '../channel/registry';
import type { Clock } from '../core/clock';
import { GatewayError, toGatewayError } from '../core/errors';
import { replaceTopLevelStringField } from '../core/json';
import type { Logger } from '../core/logger';
import type { UsageSink } from '../control-plane/ports';
import type { KeyIdentity, Snapshot } from '../control-plane/snapshot';
import type { Usage } from '../protocol/usage';
import { GENERATE_CONTENT_WIRES } from '../protocol/wires';
import { Authenticator } from './authenticate';
import { AttemptTrace } from './attempt-trace';
import { collectBody } from './collect-body';
import type { GatewayRequest, GatewayResponse } from './gateway-request';
import { planCandidates, type Candidate } from './plan';
import { relayStream } from './relay-stream';
import { resolveModel } from './resolve';
import { settle, type SettleFacts } from './settle';

export interface PipelineLimits {
  /** Upstream attempts per request, across members and credentials. */
  maxAttempts: number;
  timeouts: TransportTimeouts;
  /** Largest non-streamed upstream body read into memory. */
  maxResponseBytes: number;
}

export const DEFAULT_PIPELINE_LIMITS: PipelineLimits = {
  maxAttempts: 6,
  timeouts: { connectMs: 10_000, firstByteMs: 120_000, idleMs: 120_000 },
  maxResponseBytes: 64 * 1024 * 1024,
};

export interface PipelineDeps {
  snapshots: { readonly current: Snapshot };
  channels: ChannelRegistry;
  transport: Transport;
  usage: UsageSink;
  clock: Clock;
  logger: Logger;
  limits: PipelineLimits;
}

interface Answer {
  candidate: Candidate;
  upstream: UpstreamResponse;
}

export class GenerateContentPipeline {
  private readonly authenticator: Authenticator;

  constructor(private readonly deps: PipelineDeps) {
    this.authenticator = new Authenticator(deps.clock);
  }

  /** Authenticates before anything else, so an unauthenticated caller learns nothing about the body. */
  authenticate(presentedKey: string | undefined): Promise<KeyIdentity> {
    return this.authenticator.authenticate(this.deps.snapshots.current, presentedKey);
  }

  async handle(request: GatewayRequest, identity: KeyIdentity): Promise<GatewayResponse> {
    const trace = new AttemptTrace(this.deps.clock);
    const facts: Omit<
      SettleFacts,
      'status' | 'endState' | 'errorCode' | 'usage' | 'firstByteAt' | 'endedAt'
    > = {
      request,
      identity,
      routeName: null,
      candidate: null,
      attempts: 0,
    };
    try {
      const resolution = resolveModel(this.deps.snapshots.current, request.model);
      facts.routeName = resolution.routeName;
      const plan = planCandidates(resolution.members, request.operation, this.deps.channels);
      for (const skip of plan.skipped) trace.skip(skip.provider, skip.reason);

      const upstreamAbort = new AbortController();
      const onClientGone = (): void => upstreamAbort.abort(request.signal.reason);
      request.signal.addEventListener('abort', onClientGone, { once: true });

      const answer = await this.attempt(request, plan.candidates, trace, upstreamAbort.signal);
      facts.candidate = answer.candidate;
      facts.attempts = trace.attempts;
      const headers = this.answerHeaders(request, facts.routeName, answer, trace);
      const outcome = answer.candidate.channel.classify({
        status: answer.upstream.status,
        headers: answer.upstream.headers,
        now: this.deps.clock.now(),
      });

      if (outcome.kind !== 'success' || !request.stream) {
        const body = await collectBody(answer.upstream.body, this.deps.limits.maxResponseBytes);
        request.signal.removeEventListener('abort', onClientGone);
        const usage = outcome.kind === 'success' ? parseUsage(request, body) : undefined;
        this.finish(facts, trace, {
          status: answer.upstream.status,
          endState: outcome.kind === 'success' ? 'complete' : 'upstream-error',
          errorCode: outcome.kind === 'success' ? null : 'upstream_error',
          usage,
          firstByteAt: null,
        });
        return { status: answer.upstream.status, headers, body };
      }

      const wire = GENERATE_CONTENT_WIRES[request.operation.wire];
      const body = relayStream({
        body: answer.upstream.body,
        wire,
        format: request.streamFormat,
        requestId: request.requestId,
        clock: this.deps.clock,
        abortUpstream: () => upstreamAbort.abort(),
        clientGone: () => request.signal.aborted || upstreamAbort.signal.aborted,
        onEnd: (end) => {
          request.signal.removeEventListener('abort', onClientGone);
          this.finish(facts, trace, {
            status: answer.upstream.status,
            endState: end.endState,
            errorCode: end.error?.code ?? null,
            usage: end.usage,
            firstByteAt: end.firstByteAt,
          });
        },
      });
      return { status: answer.upstream.status, headers, body };
    } catch (error) {
      const failure = toGatewayError(error);
      facts.attempts = trace.attempts;
      this.finish(facts, trace, {
        status: failure.status,
        endState: request.signal.aborted
          ? 'client-aborted'
          : failure.code === 'upstream_timeout'
            ? 'timeout'
            : 'rejected',
        errorCode: failure.code,
        usage: undefined,
        firstByteAt: null,
      });
      throw failure;
    }
  }

  /**
   * Tries candidates in order within the attempt budget. Returns the first answer that is a success
   * or a permanent error (which goes back to the client untouched); retryable outcomes move on.
   */
  private async attempt(
    request: GatewayRequest,
    candidates: readonly Candidate[],
    trace: AttemptTrace,
    signal: AbortSignal,
  ): Promise<Answer> {
    let lastAnswer: Answer | null = null;
    let lastError: GatewayError | null = null;
    for (const candidate of candidates) {
      if (trace.attempts >= this.deps.limits.maxAttempts) break;
      if (lastAnswer !== null) await lastAnswer.upstream.discard();
      lastAnswer = null;
      const started = trace.begin(candidate);
      let upstream: UpstreamResponse;
      try {
        upstream = await this.send(request, candidate, signal);
      } catch (error) {
        if (request.signal.aborted)
          throw new GatewayError('upstream_error', 'Client closed the request.', { cause: error });
        const failure = toGatewayError(error);
        trace.end(started, failure.code, null);
        if (!failure.retryable) throw failure;
        lastError = failure;
        continue;
      }
      const outcome = candidate.channel.classify({
        status: upstream.status,
        headers: upstream.headers,
        now: this.deps.clock.now(),
      });
      trace.end(started, outcome.kind, upstream.status);
      if (outcome.kind === 'success' || outcome.kind === 'permanent') return { candidate, upstream };
      lastAnswer = { candidate, upstream };
    }
    // Every candidate failed: the last upstream error answer is already in the client's wire.
    if (lastAnswer !== null) return lastAnswer;
    if (lastError !== null) throw lastError;
    throw new GatewayError(
      'no_available_candidate',
      `No provider can serve the model '${request.model}' right now.`,
      {
        retryAfterSeconds: 1,
      },
    );
  }

  private send(
    request: GatewayRequest,
    candidate: Candidate,
    signal: AbortSignal,
  ): Promise<UpstreamResponse> {
    const { member, channel, rule, credential } = candidate;
    const provider = { name: member.provider.name, settings: member.provider.settings };
    const streamFormat: StreamFormat = request.streamFormat;
    if (rule.kind === 'local') {
      if (channel.answerLocally === undefined) {
        throw new GatewayError('internal_error', `Channel '${channel.descriptor.id}' cannot answer locally.`);
      }
      return channel.answerLocally({
        provider,
        operation: request.operation,
        stream: request.stream,
        streamFormat,
        upstreamModel: member.upstreamModel,
        body: request.body,
        signal,
      });
    }
    const body =
      request.modelInPath || member.upstreamModel === request.model
        ? request.bodyText
        : replaceTopLevelStringField(request.bodyText, 'model', member.upstreamModel);
    const upstreamRequest = channel.prepare({
      provider,
      credential: { label: credential?.label ?? '', secret: credential?.secret ?? {} },
      operation: request.operation,
      stream: request.stream,
      streamFormat,
      upstreamModel: member.upstreamModel,
      body,
      clientHeaders: request.headers,
    });
    return this.deps.transport.send(upstreamRequest, { signal, timeouts: this.deps.limits.timeouts });
  }

  private answerHeaders(
    request: GatewayRequest,
    routeName: string | null,
    answer: Answer,
    trace: AttemptTrace,
  ): Record<string, string> {
    const contentType = answer.upstream.headers['content-type'];
    const headers: Record<string, string> = {
      'content-type': typeof contentType === 'string' ? contentType : 'application/json',
      'x-gproxy-route': trace.describe(routeName, answer.candidate),
    };
    if (request.stream) headers['cache-control'] = 'no-cache';
    const retryAfter = answer.upstream.headers['retry-after'];
    if (typeof retryAfter === 'string' && answer.upstream.status >= 400) headers['retry-after'] = retryAfter;
    return headers;
  }

  private finish(
    facts: Omit<SettleFacts, 'status' | 'endState' | 'errorCode' | 'usage' | 'firstByteAt' | 'endedAt'>,
    trace: AttemptTrace,
    end: Pick<SettleFacts, 'status' | 'endState' | 'errorCode' | 'usage' | 'firstByteAt'>,
  ): void {
    const endedAt = this.deps.clock.now();
    settle(this.deps.usage, { ...facts, attempts: trace.attempts, ...end, endedAt });
    if (this.deps.logger.debugEnabled || end.endState !== 'complete') {
      this.deps.logger[end.endState === 'complete' ? 'debug' : 'info'](
        {
          requestId: facts.request.requestId,
          model: facts.request.model,
          route: facts.routeName,
          status: end.status,
          endState: end.endState,
          errorCode: end.errorCode,
          latencyMs: endedAt - facts.request.receivedAt,
          attempts: trace.entries,
        },
        'request settled',
      );
    }
  }
}

const decoder = new TextDecoder();

function parseUsage(request: GatewayRequest, body: Uint8Array): Usage | undefined {
  try {
    return GENERATE_CONTENT_WIRES[request.operation.wire].usageFromResponse(JSON.parse(decoder.decode(body)));
  } catch {
    return undefined;
  }
}
