/**
 * Runs one scenario through one directed pair of wires and reports whether its meaning survived:
 * `exact`, `approximated` (something changed and a transform warning says so) or `lost` (something
 * changed silently — a failure).
 */
import { isDeepStrictEqual } from 'node:util';
import { StreamAggregator } from '../../src/protocol/canonical/aggregate';
import type { GenerateContentCodec } from '../../src/protocol/canonical/codec';
import { decodeSseChunks, encodeStreamText } from '../../src/protocol/canonical/codec-test-support';
import type { CanonicalRequest } from '../../src/protocol/canonical/request';
import type { CanonicalResponse } from '../../src/protocol/canonical/response';
import type { StreamEvent } from '../../src/protocol/canonical/stream-events';
import { synthesizeStream } from '../../src/protocol/canonical/synthesize';
import { TransformWarnings } from '../../src/protocol/canonical/warnings';
import { requestMeaning, responseMeaning } from './meaning';

export type Verdict = 'exact' | 'approximated' | 'lost';

export interface DirectionResult {
  verdict: Verdict;
  /** Fields whose meaning changed. */
  changed: string[];
  warnings: string[];
}

function judge(before: object, after: object, warnings: TransformWarnings): DirectionResult {
  const changed = Object.keys(before).filter(
    (key) =>
      !isDeepStrictEqual((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key]),
  );
  const warned = warnings.list.map((w) => `${w.kind}:${w.field}`);
  const verdict: Verdict = changed.length === 0 ? 'exact' : warned.length > 0 ? 'approximated' : 'lost';
  return { verdict, changed, warnings: warned };
}

const ctx = { requestId: 'req_matrix', nowSeconds: 1_764_000_000 };

/** Client wire A sends the scenario; it is converted for upstream wire B. */
export function runRequest(
  a: GenerateContentCodec,
  b: GenerateContentCodec,
  scenario: CanonicalRequest,
): DirectionResult {
  const setup = new TransformWarnings();
  const clientBody = a.encodeRequest(scenario, { warnings: setup, upstreamModel: 'client-model' });
  const warnings = new TransformWarnings();
  const path = { model: 'client-model', stream: scenario.stream };
  const decoded = a.decodeRequest(clientBody, { warnings, path });
  const upstreamBody = JSON.parse(
    JSON.stringify(b.encodeRequest(decoded, { warnings, upstreamModel: 'up-model' })),
  ) as unknown;
  const back = b.decodeRequest(upstreamBody, {
    warnings: new TransformWarnings(),
    path: { model: 'up-model', stream: scenario.stream },
  });
  return judge(requestMeaning(decoded), requestMeaning(back), warnings);
}

/** Upstream wire U answers with the scenario; the answer is converted for client wire C. */
export function runResponse(
  u: GenerateContentCodec,
  c: GenerateContentCodec,
  scenario: CanonicalResponse,
): DirectionResult {
  const setup = new TransformWarnings();
  const upstreamBody = u.encodeResponse(scenario, {
    ...ctx,
    warnings: setup,
    model: 'up-model',
    sourceWire: u.wire,
  });
  const warnings = new TransformWarnings();
  const decoded = u.decodeResponse(upstreamBody, { warnings });
  const clientBody = JSON.parse(
    JSON.stringify(
      c.encodeResponse(decoded, { ...ctx, warnings, model: 'client-model', sourceWire: u.wire }),
    ),
  ) as unknown;
  const back = c.decodeResponse(clientBody, { warnings: new TransformWarnings() });
  return judge(responseMeaning(decoded), responseMeaning(back), warnings);
}

function decodeSseText(
  codec: GenerateContentCodec,
  text: string,
  warnings: TransformWarnings,
): StreamEvent[] {
  const bytes = new TextEncoder().encode(text);
  // Feed in small uneven slices, as the network would.
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.slice(i, i + 7));
  return decodeSseChunks(codec, chunks, warnings);
}

function encodeEvents(
  codec: GenerateContentCodec,
  events: StreamEvent[],
  sourceWire: GenerateContentCodec['wire'],
  model: string,
  warnings: TransformWarnings,
): string {
  return encodeStreamText(codec, events, {
    ...ctx,
    warnings,
    model,
    sourceWire,
    format: 'sse',
    includeUsage: true,
  });
}

function aggregate(events: StreamEvent[]): CanonicalResponse {
  const aggregator = new StreamAggregator();
  for (const event of events) aggregator.push(event);
  return aggregator.result();
}

/** The same as runResponse, streamed: U's stream text -> U decoder -> C encoder -> C decoder. */
export function runStream(
  u: GenerateContentCodec,
  c: GenerateContentCodec,
  scenario: CanonicalResponse,
): DirectionResult {
  const setup = new TransformWarnings();
  const upstreamText = encodeEvents(u, synthesizeStream(scenario), u.wire, 'up-model', setup);
  const warnings = new TransformWarnings();
  const upstreamEvents = decodeSseText(u, upstreamText, warnings);
  const clientText = encodeEvents(c, upstreamEvents, u.wire, 'client-model', warnings);
  const clientEvents = decodeSseText(c, clientText, new TransformWarnings());
  return judge(
    responseMeaning(aggregate(upstreamEvents)),
    responseMeaning(aggregate(clientEvents)),
    warnings,
  );
}
