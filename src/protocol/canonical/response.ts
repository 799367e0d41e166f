/** The canonical generate-content response (non-streamed), and the finish reasons. */
import type { Usage } from '../usage';
import type { OutputPart } from './parts';

/**
 * Why the model stopped. `tool-calls`: it wants tool results; `length`: max tokens; `stop`: a
 * natural end or a stop sequence; `content-filter`: blocked by safety; `refusal`: declined
 * (Claude `refusal`); `pause`: Claude `pause_turn`; `error`: the upstream failed.
 */
export type FinishReason =
  'stop' | 'length' | 'tool-calls' | 'content-filter' | 'refusal' | 'pause' | 'error';

export interface CanonicalResponse {
  /** Upstream response id when there was one; encoders make one up in their own format otherwise. */
  id: string;
  model: string;
  /** Seconds since the epoch, when the upstream said. */
  created?: number;
  parts: OutputPart[];
  finishReason: FinishReason;
  /** The stop sequence that ended the answer, when the upstream says. */
  stopSequence?: string;
  usage?: Usage;
}
