/**
 * Every recorded fixture of every wire (requests, whole answers, streams — in each provider's
 * public format, under src/protocol/wires/<wire>/generate-content/fixtures) through every directed
 * pair: whatever changes must be named by a transform warning. Upstream-only wires (Bedrock Converse)
 * have answers and streams only, and are the target of requests only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { StreamAggregator } from '../../src/protocol/canonical/aggregate';
import type { GenerateContentCodec } from '../../src/protocol/canonical/codec';
import { decodeSseText } from '../../src/protocol/canonical/codec-test-support';
import type { CanonicalResponse } from '../../src/protocol/canonical/response';
import type { StreamEvent } from '../../src/protocol/canonical/stream-events';
import { TransformWarnings } from '../../src/protocol/canonical/warnings';
import { UPSTREAM_WIRE_KINDS, isWireKind, type UpstreamWireKind } from '../../src/protocol/operation';
import { GENERATE_CONTENT_CODECS } from '../../src/protocol/wires/codecs';
import { requestMeaning, responseMeaning } from './meaning';

const ROOT = join(import.meta.dirname, '../../src/protocol/wires');
const ctx = { requestId: 'req_fixture', nowSeconds: 1_764_000_000 };

function fixtures(wire: UpstreamWireKind, pattern: RegExp): { name: string; text: string }[] {
  const dir = join(ROOT, wire, 'generate-content/fixtures');
  return readdirSync(dir)
    .filter((name) => pattern.test(name))
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

function expectCarried(before: object, after: object, warnings: TransformWarnings): void {
  const changed = Object.keys(before).filter(
    (key) =>
      !isDeepStrictEqual((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key]),
  );
  if (changed.length > 0) {
    expect(warnings.list, `changed ${changed.join(', ')} without a warning`).not.toHaveLength(0);
  }
}

function streamEvents(codec: GenerateContentCodec, text: string, warnings: TransformWarnings): StreamEvent[] {
  return decodeSseText(codec, text, [], warnings);
}

function aggregateOrError(events: StreamEvent[]): CanonicalResponse | string {
  const aggregator = new StreamAggregator();
  for (const event of events) aggregator.push(event);
  try {
    return aggregator.result();
  } catch (error) {
    return `error: ${(error as Error).name}`;
  }
}

for (const source of UPSTREAM_WIRE_KINDS) {
  const from = GENERATE_CONTENT_CODECS[source];
  describe(`${source} fixtures`, () => {
    for (const target of UPSTREAM_WIRE_KINDS) {
      const to = GENERATE_CONTENT_CODECS[target];

      for (const { name, text } of fixtures(source, /^request.*\.json$/)) {
        it(`${name} as a request to ${target}`, () => {
          const warnings = new TransformWarnings();
          const path = { model: 'client-model', stream: false };
          const decoded = from.decodeRequest(JSON.parse(text), { warnings, path });
          const body = JSON.parse(
            JSON.stringify(to.encodeRequest(decoded, { warnings, upstreamModel: 'up-model' })),
          );
          const back = to.decodeRequest(body, {
            warnings: new TransformWarnings(),
            path: { model: 'up-model', stream: false },
          });
          expectCarried(requestMeaning(decoded), requestMeaning(back), warnings);
        });
      }

      // Answers go to clients only.
      if (!isWireKind(target)) continue;

      for (const { name, text } of fixtures(source, /^response.*\.json$/)) {
        it(`${name} as an answer to a ${target} client`, () => {
          const warnings = new TransformWarnings();
          let decoded: CanonicalResponse;
          try {
            decoded = from.decodeResponse(JSON.parse(text), { warnings });
          } catch {
            return; // an error answer (e.g. a failed Responses object) is converted as an error, not content
          }
          const encoded = to.encodeResponse(decoded, {
            ...ctx,
            warnings,
            model: 'client-model',
            sourceWire: source,
          });
          const back = to.decodeResponse(JSON.parse(JSON.stringify(encoded)), {
            warnings: new TransformWarnings(),
          });
          expectCarried(responseMeaning(decoded), responseMeaning(back), warnings);
        });
      }

      for (const { name, text } of fixtures(source, /^stream.*\.sse$/)) {
        it(`${name} as a stream to a ${target} client`, () => {
          const warnings = new TransformWarnings();
          const upstreamEvents = streamEvents(from, text, warnings);
          const encoder = to.createStreamEncoder({
            ...ctx,
            warnings,
            model: 'client-model',
            sourceWire: source,
            format: 'sse',
            includeUsage: true,
          });
          let clientText = '';
          for (const event of upstreamEvents) clientText += encoder.push(event);
          clientText += encoder.end();
          const before = aggregateOrError(upstreamEvents);
          const after = aggregateOrError(streamEvents(to, clientText, new TransformWarnings()));
          if (typeof before === 'string' || typeof after === 'string') {
            // A failed stream must reach the client as a failed stream.
            expect(typeof after).toBe(typeof before);
            return;
          }
          expectCarried(responseMeaning(before), responseMeaning(after), warnings);
        });
      }
    }
  });
}
