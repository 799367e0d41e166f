/**
 * A two-turn tool loop through a converted route: the upstream's opaque reasoning state goes out
 * to a client of another wire and must come back to the upstream on the next turn (sealed in the
 * client's carrier slot). OpenAI Chat clients have no slot: the upstream request must still be
 * one the provider accepts.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../src/protocol/canonical/request';
import type { CanonicalResponse } from '../../src/protocol/canonical/response';
import { TransformWarnings } from '../../src/protocol/canonical/warnings';
import { UPSTREAM_WIRE_KINDS, WIRE_KINDS } from '../../src/protocol/operation';
import { GENERATE_CONTENT_CODECS } from '../../src/protocol/wires/codecs';
import { appendToolTurn } from './client-turns';
import { OPAQUE_STATE, withNativeState } from './native-state';

const firstTurn: CanonicalRequest = {
  model: 'client-model',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] }],
  tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
  reasoning: { enabled: true, effort: 'low' },
  maxOutputTokens: 4096,
  stream: false,
};

const answer: CanonicalResponse = {
  id: 'resp-1',
  model: 'up-model',
  parts: [
    { type: 'reasoning', text: 'I should call the weather tool.' },
    { type: 'tool-call', id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' },
  ],
  finishReason: 'tool-calls',
};

const ctx = { requestId: 'req_carry', nowSeconds: 1_764_000_000 };

for (const upstream of UPSTREAM_WIRE_KINDS) {
  const state = OPAQUE_STATE[upstream];
  if (state === undefined) continue;
  describe(`${upstream} upstream`, () => {
    for (const client of WIRE_KINDS) {
      it(`keeps its reasoning state across a tool turn with a ${client} client`, () => {
        const c = GENERATE_CONTENT_CODECS[client];
        const u = GENERATE_CONTENT_CODECS[upstream];
        const warnings = new TransformWarnings();
        const upstreamAnswer = u.encodeResponse(withNativeState(answer, upstream), {
          ...ctx,
          warnings,
          model: 'up-model',
          sourceWire: upstream,
        });
        const clientAnswer = JSON.parse(
          JSON.stringify(
            c.encodeResponse(u.decodeResponse(upstreamAnswer, { warnings }), {
              ...ctx,
              warnings,
              model: 'client-model',
              sourceWire: upstream,
            }),
          ),
        );
        const firstRequest = c.encodeRequest(firstTurn, { warnings, upstreamModel: 'client-model' });
        const secondRequest = appendToolTurn(client, firstRequest, clientAnswer, '18C, sunny');

        const nextWarnings = new TransformWarnings();
        const canonical = c.decodeRequest(JSON.parse(JSON.stringify(secondRequest)), {
          warnings: nextWarnings,
          path: { model: 'client-model', stream: false },
        });
        const upstreamRequest = JSON.stringify(
          u.encodeRequest(canonical, { warnings: nextWarnings, upstreamModel: 'up-model' }),
        );

        expect(upstreamRequest).toContain('18C, sunny');
        if (client !== 'openai-chat' || upstream === client) {
          expect(upstreamRequest).toContain(state);
          return;
        }
        // No carrier slot in OpenAI Chat: the state is gone, and the upstream request must still be valid.
        expect(upstreamRequest).not.toContain(state);
        expect(nextWarnings.list.length).toBeGreaterThan(0);
        const body = JSON.parse(upstreamRequest);
        if (upstream === 'claude') expect(body.thinking?.type ?? 'disabled').not.toBe('enabled');
        if (upstream === 'gemini') expect(upstreamRequest).toContain('skip_thought_signature_validator');
      });
    }
  });
}
