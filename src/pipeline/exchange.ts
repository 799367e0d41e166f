/**
 * One attempt's upstream exchange: the candidate that answered, its response, and the conversion
 * in play (null on passthrough).
 */
import type { UpstreamResponse } from '../channel/contract';
import type { SelectedRules } from '../process/rule-types';
import type { Conversion } from './convert/request-conversion';
import type { Candidate } from './plan';

export interface Exchange {
  candidate: Candidate;
  upstream: UpstreamResponse;
  conversion: Conversion | null;
  /** Whether the upstream was asked to stream (it may differ from the client: see stream-mode.ts). */
  upstreamStream: boolean;
  /**
   * gproxy added `stream_options.include_usage` to a passed-through Chat stream the client did not
   * ask usage of: the usage-only chunk is taken out of the client's stream (stream-usage-option.ts).
   */
  stripStreamUsage?: boolean;
  /** The provider's rules that applied to this attempt; their response-header edits reach the client. */
  rules?: SelectedRules | null;
}
