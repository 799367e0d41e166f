/** The SSE side of every wire's stream usage reader: decode, pre-filter, parse, hand over. */
import { tryParseJson } from '../../core/json';
import { SseDecoder } from '../../core/sse';
import type { SseEvent } from '../../core/sse';
import type { Usage } from '../usage';
import type { StreamUsageReader } from '../wire';

export interface UsageEventHandler {
  /** A cheap test on the raw event, so most events of a stream are never parsed. */
  wants(event: SseEvent): boolean;
  take(json: unknown): void;
  result(): Usage | undefined;
}

/** Hands one JSON text to the handler; anything unparsable is skipped, never thrown. */
export function feedJson(text: string, handler: UsageEventHandler): void {
  const parsed = tryParseJson(text);
  if (!parsed.ok) return;
  // A reader only observes a stream on its way to the client: nothing it meets may break that stream.
  try {
    handler.take(parsed.value);
  } catch {
    return;
  }
}

export function createSseUsageReader(handler: UsageEventHandler): StreamUsageReader {
  const decoder = new SseDecoder({ oversized: 'skip' });
  let finished = false;
  const handle = (events: SseEvent[]): void => {
    for (const event of events) {
      if (handler.wants(event)) feedJson(event.data, handler);
    }
  };
  return {
    push(chunk) {
      if (!finished) handle(decoder.push(chunk));
    },
    finish() {
      if (!finished) {
        finished = true;
        handle(decoder.end());
      }
      return handler.result();
    },
  };
}
