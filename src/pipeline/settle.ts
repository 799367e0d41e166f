/**
 * Settlement: turns what happened to one request into its usage record and hands it to the usage
 * sink (which writes off the request path). Called exactly once per authenticated request.
 *
 * Usage source (docs/billing.md "Ledger and quotas"):
 * - `upstream-reported`: the upstream's usage, as reported (possibly partial on a cut stream).
 * - `counted-locally`: the upstream answered but reported nothing: counted from the request size
 *   and the text it produced (local-count.ts).
 * - `estimated`: the request reached an upstream, which produced nothing before the client left or
 *   the upstream timed out: the prompt alone, from the request size (it may have been processed).
 * - `none`: nothing billable (refused before sending, or the upstream answered with an error).
 */
import type { KeyIdentity } from '../control-plane/snapshot';
import type { UsageSink } from '../control-plane/ports';
import { utf8ByteLength } from '../core/utf8';
import { ledgerCost, type PriceBook } from '../control-plane/pricing/price-book';
import type { EndState, UsageRecord, UsageSource } from '../control-plane/usage-record';
import type { WireKind } from '../protocol/operation';
import type { Usage } from '../protocol/usage';
import type { GatewayRequest } from './gateway-request';
import { countedUsage } from './local-count';
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
  /** Set when the upstream answered: bytes of text it produced (RespondEnd.producedBytes). */
  producedBytes?: number | undefined;
  firstByteAt: number | null;
  endedAt: number;
  /** The snapshot's prices. */
  prices: PriceBook;
}

/** Records the request's usage; returns the record (its cost settles quota reservations). */
export function settle(sink: UsageSink, facts: SettleFacts): UsageRecord {
  const record = toUsageRecord(facts);
  sink.record(record);
  return record;
}

/** The usage to bill and where it came from. */
export function billedUsage(facts: SettleFacts): { usage: Usage | undefined; source: UsageSource } {
  if (facts.usage !== undefined) return { usage: facts.usage, source: 'upstream-reported' };
  if (facts.candidate === null) return { usage: undefined, source: 'none' };
  const requestBytes = utf8ByteLength(facts.request.bodyText);
  if (facts.producedBytes !== undefined)
    return { usage: countedUsage(requestBytes, facts.producedBytes), source: 'counted-locally' };
  if (facts.endState === 'client-aborted' || facts.endState === 'timeout')
    return { usage: countedUsage(requestBytes, 0), source: 'estimated' };
  return { usage: undefined, source: 'none' };
}

export function toUsageRecord(facts: SettleFacts): UsageRecord {
  const { request, candidate } = facts;
  const { usage, source } = billedUsage(facts);
  const upstreamWire: WireKind | null = candidate === null ? null : request.operation.wire;
  const providerName = candidate?.member.provider.name ?? null;
  const upstreamModel = candidate?.member.upstreamModel ?? null;
  const cost =
    usage === undefined
      ? { costPicoUsd: null, priced: false, priceRule: null }
      : ledgerCost(
          facts.prices,
          { provider: providerName, model: upstreamModel, at: request.receivedAt },
          usage,
        );
  const user = facts.identity.user;
  return {
    requestId: request.requestId,
    createdAt: new Date(request.receivedAt).toISOString(),
    userId: user.id,
    userKeyId: facts.identity.key.id,
    orgId: user.orgId ?? null,
    teamId: user.teamId ?? null,
    operation: request.operation.operation,
    clientWire: request.operation.wire,
    upstreamWire,
    requestedModel: request.model,
    routeName: facts.routeName,
    providerName,
    credentialLabel: candidate?.credential?.label ?? null,
    upstreamModel,
    stream: request.stream,
    status: facts.status,
    endState: facts.endState,
    errorCode: facts.errorCode,
    attempts: facts.attempts,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cachedInputTokens: usage?.cachedInputTokens ?? 0,
    cacheCreationTokens: usage?.cacheCreationTokens ?? 0,
    cacheCreation1hTokens: usage?.cacheCreation1hTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    usageSource: source,
    costPicoUsd: cost.costPicoUsd,
    priced: cost.priced,
    priceRule: cost.priceRule,
    latencyMs: facts.endedAt - request.receivedAt,
    firstByteMs: facts.firstByteAt === null ? null : facts.firstByteAt - request.receivedAt,
  };
}
