import type { Operation, WireKind } from '../protocol/operation';

/** How a request ended, as far as the ledger is concerned. */
export type EndState = 'complete' | 'client-aborted' | 'upstream-error' | 'timeout' | 'rejected';

/**
 * Where the token counts came from: reported by the upstream; counted locally by gproxy because
 * the upstream reported nothing (an approximation, docs/billing.md); estimated from the request
 * alone (nothing was produced or read back); or none (no upstream call was billed).
 */
export type UsageSource = 'upstream-reported' | 'counted-locally' | 'estimated' | 'none';

/** One record per request; the request id is the idempotency key. */
export interface UsageRecord {
  requestId: string;
  createdAt: string;
  userId: string | null;
  userKeyId: string | null;
  /** The user's org and team at the time of the request (null: none). */
  orgId: string | null;
  teamId: string | null;
  operation: Operation;
  clientWire: WireKind;
  upstreamWire: WireKind | null;
  /** The model name the client asked for. */
  requestedModel: string | null;
  routeName: string | null;
  providerName: string | null;
  credentialLabel: string | null;
  upstreamModel: string | null;
  stream: boolean;
  status: number;
  endState: EndState;
  errorCode: string | null;
  attempts: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Every cache write, 5-minute and 1-hour. */
  cacheCreationTokens: number;
  /** The 1-hour share of cacheCreationTokens (Claude reports it; 0 elsewhere). */
  cacheCreation1hTokens: number;
  reasoningTokens: number;
  usageSource: UsageSource;
  /**
   * Exact cost in pico-USD (10^-12 USD) as a decimal integer string; null when unpriced (no price
   * rule matched) — never "0" for a missing price.
   */
  costPicoUsd: string | null;
  /** False when no price rule matched the provider and upstream model. */
  priced: boolean;
  /** The name of the price rule applied (operator rule name, or `catalogue:<model>`). */
  priceRule: string | null;
  latencyMs: number;
  /** Time to the first byte sent to the client; null when nothing was streamed. */
  firstByteMs: number | null;
}
