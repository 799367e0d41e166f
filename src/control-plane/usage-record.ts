import type { Operation, WireKind } from '../protocol/operation';

/** How a request ended, as far as the ledger is concerned. */
export type EndState = 'complete' | 'client-aborted' | 'upstream-error' | 'timeout' | 'rejected';

/** Where the token counts came from. */
export type UsageSource = 'upstream-reported' | 'none';

/** One record per request; the request id is the idempotency key. */
export interface UsageRecord {
  requestId: string;
  createdAt: string;
  userId: string | null;
  userKeyId: string | null;
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
  cacheCreationTokens: number;
  reasoningTokens: number;
  usageSource: UsageSource;
  latencyMs: number;
  /** Time to the first byte sent to the client; null when nothing was streamed. */
  firstByteMs: number | null;
}
