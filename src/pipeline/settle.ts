/**
 * Settlement: turns what happened to one request into its usage record and hands it to the usage
 * sink (which writes off the request path). Called exactly once per authenticated request.
 */
import type { KeyIdentity } from '../control-plane/snapshot';
import type { UsageSink } from '../control-plane/ports';
import type { EndState, UsageRecord } from '../control-plane/usage-record';
import type { WireKind } from '../protocol/operation';
import type { Usage } from '../protocol/usage';
import type { GatewayRequest } from './gateway-request';
import type { Candidate } from './plan';

export interface SettleFacts {
  request: GatewayRequest;
  identity: KeyIdentity;
  routeName: string | null;
  /** The candidate that answered (or the last one tried). */
  candidate: Candidate | null;
  attempts: number;
  status: number;
  endState: EndState;
  errorCode: string | null;
  usage: Usage | undefined;
  firstByteAt: number | null;
  endedAt: number;
}

export function settle(sink: UsageSink, facts: SettleFacts): void {
  sink.record(toUsageRecord(facts));
}

export function toUsageRecord(facts: SettleFacts): UsageRecord {
  const { request, candidate, usage } = facts;
  const upstreamWire: WireKind | null = candidate === null ? null : request.operation.wire;
  return {
    requestId: request.requestId,
    createdAt: new Date(request.receivedAt).toISOString(),
    userId: facts.identity.user.id,
    userKeyId: facts.identity.key.id,
    operation: request.operation.operation,
    clientWire: request.operation.wire,
    upstreamWire,
    requestedModel: request.model,
    routeName: facts.routeName,
    providerName: candidate?.member.provider.name ?? null,
    credentialLabel: candidate?.credential?.label ?? null,
    upstreamModel: candidate?.member.upstreamModel ?? null,
    stream: request.stream,
    status: facts.status,
    endState: facts.endState,
    errorCode: facts.errorCode,
    attempts: facts.attempts,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cachedInputTokens: usage?.cachedInputTokens ?? 0,
    cacheCreationTokens: usage?.cacheCreationTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    usageSource: usage === undefined ? 'none' : 'upstream-reported',
    latencyMs: facts.endedAt - request.receivedAt,
    firstByteMs: facts.firstByteAt === null ? null : facts.firstByteAt - request.receivedAt,
  };
}
