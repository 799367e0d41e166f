import type { StreamFormat } from '../../contract';
import type { MockAnswer } from '../answer';

/** One wire's rendering of a mock answer: the JSON body, or the stream frames as sent on the wire. */
export interface MockRenderer {
  json(answer: MockAnswer, body: unknown): unknown;
  stream(answer: MockAnswer, body: unknown, format: StreamFormat): string[];
}

/** The mock has no clock (channels never read one); a fixed creation time keeps answers reproducible. */
export const MOCK_CREATED = 0;
