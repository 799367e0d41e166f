/**
 * One attempt's upstream exchange: the candidate that answered, its response, and the conversion
 * in play (null on passthrough).
 */
import type { UpstreamResponse } from '../channel/contract';
import type { Conversion } from './convert/request-conversion';
import type { Candidate } from './plan';

export interface Exchange {
  candidate: Candidate;
  upstream: UpstreamResponse;
  conversion: Conversion | null;
  /** Whether the upstream was asked to stream (it may differ from the client: see stream-mode.ts). */
  upstreamStream: boolean;
}
