/**
 * The mock channel: answers in-process, in any wire, streaming or not, with no network. For trying
 * gproxy without a provider, for end-to-end tests and for benchmarks (latency and pacing settings).
 */
import { GatewayError } from '../../core/errors';
import { classifyStatus } from '../classify-status';
import type { Channel, LocalAnswerInput, UpstreamResponse } from '../contract';
import { numberSetting } from '../settings';
import { planMockAnswer } from './answer';
import { mockDescriptor } from './descriptor';
import { abortableDelay, pacedResponse } from './paced-body';
import { MOCK_RENDERERS } from './render/index';

const SSE = 'text/event-stream; charset=utf-8';
const JSON_TYPE = 'application/json';

async function answerLocally(input: LocalAnswerInput): Promise<UpstreamResponse> {
  const { provider, operation, signal } = input;
  if (operation.operation !== 'generate-content') {
    throw new GatewayError('unsupported_operation', `The mock channel does not serve ${operation.operation}`);
  }
  const latencyMs = numberSetting(provider, 'latency_ms', 0);
  const intervalMs = numberSetting(provider, 'chunk_interval_ms', 0);
  const chunks = Math.floor(numberSetting(provider, 'chunks', 0));
  const renderer = MOCK_RENDERERS[operation.wire];
  const answer = planMockAnswer(
    operation.wire,
    input.body,
    input.upstreamModel,
    chunks > 0 ? chunks : undefined,
  );
  await abortableDelay(latencyMs, signal);
  if (!input.stream) {
    return pacedResponse([JSON.stringify(renderer.json(answer, input.body))], JSON_TYPE, 0, signal);
  }
  const jsonArray = operation.wire === 'gemini' && input.streamFormat === 'json-array';
  const frames = renderer.stream(answer, input.body, input.streamFormat);
  return pacedResponse(frames, jsonArray ? JSON_TYPE : SSE, intervalMs, signal);
}

export const mockChannel: Channel = {
  descriptor: mockDescriptor,
  routingRule: (operation) =>
    operation.operation === 'generate-content' ? { kind: 'local' } : { kind: 'unsupported' },
  prepare: () => {
    throw new GatewayError('internal_error', 'The mock channel answers locally; it has no upstream request');
  },
  classify: classifyStatus,
  answerLocally,
};
