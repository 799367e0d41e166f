/**
 * "Test connection" for a provider: one small, real generate-content request through the whole
 * pipeline (the provider's channel, credentials, conversion and transport), addressed as
 * `provider/model`, in the provider's first native wire.
 */
import type { ChannelRegistry } from '../channel/registry';
import type { Clock } from '../core/clock';
import { GatewayError, toGatewayError } from '../core/errors';
import { newRequestId } from '../core/ids';
import type { KeyIdentity, Snapshot } from '../control-plane/snapshot';
import { TransformWarnings } from '../protocol/canonical/warnings';
import type { WireKind } from '../protocol/operation';
import { GENERATE_CONTENT_CODECS } from '../protocol/wires/codecs';
import { collectBody } from './collect-body';
import type { GenerateContentPipeline } from './generate-content';

export interface ProbeResult {
  ok: boolean;
  status: number;
  latencyMs: number;
  route: string | null;
  /** The upstream's answer text (truncated) or the error message. */
  detail: string;
}

export interface ProbeDeps {
  pipeline: GenerateContentPipeline;
  snapshots: { readonly current: Snapshot };
  channels: ChannelRegistry;
  clock: Clock;
}

const decoder = new TextDecoder();

export async function probeProvider(
  deps: ProbeDeps,
  identity: KeyIdentity,
  providerName: string,
  model: string,
  signal: AbortSignal,
): Promise<ProbeResult> {
  const provider = deps.snapshots.current.providersByName.get(providerName);
  if (provider === undefined)
    throw new GatewayError('not_found', `No enabled provider named '${providerName}'.`);
  const channel = deps.channels.get(provider.channel);
  const wire: WireKind = channel?.descriptor.nativeWires[0] ?? 'openai-chat';
  const body = GENERATE_CONTENT_CODECS[wire].encodeRequest(
    {
      model,
      system: [],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'Reply with OK.' }] }],
      tools: [],
      maxOutputTokens: 16,
      stream: false,
    },
    { warnings: new TransformWarnings(), upstreamModel: `${providerName}/${model}` },
  );
  const bodyText = JSON.stringify(body);
  const receivedAt = deps.clock.now();
  try {
    const answer = await deps.pipeline.handle(
      {
        requestId: newRequestId(receivedAt),
        receivedAt,
        operation: { operation: 'generate-content', wire },
        stream: false,
        streamFormat: 'sse',
        model: `${providerName}/${model}`,
        modelInPath: wire === 'gemini',
        bodyText,
        body,
        headers: {},
        presentedKey: undefined,
        signal,
      },
      identity,
    );
    const text = typeof answer.body === 'string' ? answer.body : decoder.decode(await collect(answer.body));
    return {
      ok: answer.status < 400,
      status: answer.status,
      latencyMs: deps.clock.now() - receivedAt,
      route: answer.headers['x-gproxy-route'] ?? null,
      detail: text.slice(0, 500),
    };
  } catch (error) {
    const failure = toGatewayError(error);
    return {
      ok: false,
      status: failure.status,
      latencyMs: deps.clock.now() - receivedAt,
      route: null,
      detail: failure.message,
    };
  }
}

async function collect(body: Uint8Array | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  return body instanceof Uint8Array ? body : collectBody(body, 1024 * 1024);
}
