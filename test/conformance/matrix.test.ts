/**
 * The conversion matrix: every scenario through every directed pair of wires, as request,
 * response and stream. A meaning that changes without a transform warning fails the test.
 * Upstream-only wires (Bedrock Converse, decision 0009) are columns only: no client speaks them.
 * docs/conformance.md is written from these results (and checked against them in CI).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  UPSTREAM_WIRE_KINDS,
  WIRE_KINDS,
  type UpstreamWireKind,
  type WireKind,
} from '../../src/protocol/operation';
import { GENERATE_CONTENT_CODECS } from '../../src/protocol/wires/codecs';
import { renderConformance, type MatrixCell } from './render-conformance';
import { runRequest, runResponse, runStream, type DirectionResult } from './run-direction';
import { withNativeState } from './native-state';
import { REQUEST_SCENARIOS, RESPONSE_SCENARIOS } from './scenarios';

const cells: MatrixCell[] = [];

function record(
  kind: MatrixCell['kind'],
  client: WireKind,
  upstream: UpstreamWireKind,
  scenario: string,
  result: DirectionResult,
): void {
  cells.push({ kind, client, upstream, scenario, ...result });
  if (result.verdict === 'lost') {
    throw new Error(
      `${kind} ${client} -> ${upstream} "${scenario}" lost ${result.changed.join(', ')} without a warning`,
    );
  }
}

for (const client of WIRE_KINDS) {
  for (const upstream of UPSTREAM_WIRE_KINDS) {
    describe(`${client} client -> ${upstream} upstream`, () => {
      const c = GENERATE_CONTENT_CODECS[client];
      const u = GENERATE_CONTENT_CODECS[upstream];
      for (const [name, scenario] of Object.entries(REQUEST_SCENARIOS)) {
        it(`request: ${name}`, () => record('request', client, upstream, name, runRequest(c, u, scenario)));
      }
      for (const [name, scenario] of Object.entries(RESPONSE_SCENARIOS)) {
        const native = withNativeState(scenario, upstream);
        it(`response: ${name}`, () => record('response', client, upstream, name, runResponse(u, c, native)));
        it(`stream: ${name}`, () => record('stream', client, upstream, name, runStream(u, c, native)));
      }
    });
  }
}

const DOC = join(import.meta.dirname, '../../docs/conformance.md');

afterAll(() => {
  const expectedCells =
    WIRE_KINDS.length *
    UPSTREAM_WIRE_KINDS.length *
    (Object.keys(REQUEST_SCENARIOS).length + 2 * Object.keys(RESPONSE_SCENARIOS).length);
  if (cells.length !== expectedCells) return; // a filtered or failed run does not rewrite the document
  const rendered = renderConformance(cells, Object.keys(REQUEST_SCENARIOS), Object.keys(RESPONSE_SCENARIOS));
  if (process.env['CI']) {
    expect(
      readFileSync(DOC, 'utf8'),
      'docs/conformance.md is stale: run the tests locally and commit it',
    ).toBe(rendered);
  } else {
    writeFileSync(DOC, rendered);
  }
});
