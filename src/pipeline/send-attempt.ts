/**
 * Sends one candidate's upstream request: answered locally (mock), passed through with the model
 * spliced in, or re-encoded through the codecs (another wire, sealed state to strip, or a stream
 * mode the upstream needs). The provider's rule sets then edit the upstream body (before the channel
 * prepares the request) and its headers (after; credential headers are out of their reach).
 */
import type {
  ChannelCache,
  ChannelServices,
  PrepareInput,
  StreamFormat,
  Transport,
  TransportTimeouts,
} from '../channel/contract';
import type { Clock } from '../core/clock';
import { GatewayError } from '../core/errors';
import { replaceTopLevelStringField } from '../core/json';
import { applyBodyRules, applyHeaderRules } from '../process/apply-rules';
import { SEALED_PREFIX } from '../protocol/canonical/opaque';
import type { UpstreamOperationKey } from '../protocol/operation';
import { collectBody } from './collect-body';
import { resolveDispatch } from './dispatch';
import { convertRequest, type CanonicalRequestSource, type Conversion } from './convert/request-conversion';
import type { Exchange } from './exchange';
import type { GatewayRequest } from './gateway-request';
import type { Candidate } from './plan';
import { attemptRules } from './rule-sets';
import { streamModeOf, upstreamStreams } from './stream-mode';
import { asksForStreamUsage, withStreamUsage } from './stream-usage-option';

export interface SendDeps {
  transport: Transport;
  timeouts: TransportTimeouts;
  clock: Clock;
  /** Per-process cache channels keep derived credentials in (e.g. OAuth tokens). */
  cache: ChannelCache;
  instanceProxy: string | undefined;
}

const AUX_RESPONSE_LIMIT = 1024 * 1024;
const textDecoder = new TextDecoder();

function channelServices(deps: SendDeps): ChannelServices {
  return {
    now: deps.clock.now(),
    cache: deps.cache,
    async fetchText(request, signal) {
      const response = await deps.transport.send(request, { signal, timeouts: deps.timeouts });
      return {
        status: response.status,
        body: textDecoder.decode(await collectBody(response.body, AUX_RESPONSE_LIMIT)),
      };
    },
  };
}

export async function sendAttempt(
  deps: SendDeps,
  request: GatewayRequest,
  canonical: CanonicalRequestSource,
  candidate: Candidate,
  signal: AbortSignal,
): Promise<Omit<Exchange, 'candidate'>> {
  const { member, channel, rule, credential } = candidate;
  const provider = { name: member.provider.name, settings: member.provider.settings };

  if (rule.kind === 'local') {
    if (channel.answerLocally === undefined) {
      throw new GatewayError('internal_error', `Channel '${channel.descriptor.id}' cannot answer locally.`);
    }
    const upstream = await channel.answerLocally({
      provider,
      operation: request.operation,
      stream: request.stream,
      streamFormat: request.streamFormat,
      upstreamModel: member.upstreamModel,
      body: request.body,
      signal,
    });
    return { upstream, conversion: null, upstreamStream: request.stream };
  }

  const stream = upstreamStreams(streamModeOf(member.provider.settings), request.stream);
  // Same-wire requests pass through, unless they carry sealed state from another provider
  // (canonical/opaque.ts), which this one would reject, or the upstream streams differently from
  // the client: then the codecs re-encode them for the same wire.
  const reencode = stream !== request.stream || request.bodyText.includes(SEALED_PREFIX);
  const target = rule.kind === 'convert' ? rule.to : reencode ? request.operation.wire : null;

  let operation: UpstreamOperationKey = request.operation;
  let streamFormat: StreamFormat = request.streamFormat;
  let body: string;
  let conversion: Conversion | null = null;
  let stripUsage = false;
  if (target !== null) {
    const converted = convertRequest(canonical, request.operation.wire, target, member.upstreamModel, stream);
    body = converted.body;
    conversion = converted.conversion;
    operation = { operation: request.operation.operation, wire: target };
    // Converted streams are decoded event by event, which needs SSE from every upstream.
    streamFormat = 'sse';
  } else {
    body =
      request.modelInPath || member.upstreamModel === request.model
        ? request.bodyText
        : replaceTopLevelStringField(request.bodyText, 'model', member.upstreamModel);
    // Chat streams report usage only when asked: ask, and strip the extra chunk on the way back.
    if (stream && request.operation.wire === 'openai-chat' && !asksForStreamUsage(request.body)) {
      body = withStreamUsage(body, request.body);
      stripUsage = true;
    }
  }

  const rules =
    member.provider.ruleSets === undefined
      ? null
      : attemptRules(member.provider.ruleSets, {
          model: member.upstreamModel,
          operation: operation.operation,
          wire: operation.wire,
          stream,
        });
  if (rules !== null) body = applyBodyRules(body, rules.body);

  const input: PrepareInput = {
    provider,
    credential: { label: credential?.label ?? '', secret: credential?.secret ?? {} },
    operation,
    stream,
    streamFormat,
    upstreamModel: member.upstreamModel,
    body,
    clientHeaders: request.headers,
    services: channelServices(deps),
    signal,
  };
  if (rules !== null && rules.requestHeaders.length > 0) {
    const edits = rules.requestHeaders;
    input.editHeaders = (headers) => applyHeaderRules(headers, edits);
  }
  const upstreamRequest = await channel.prepare(input);
  input.editHeaders?.(upstreamRequest.headers);
  upstreamRequest.dispatch ??= resolveDispatch({
    provider,
    credential: credential === null ? null : { label: credential.label, settings: credential.settings },
    instanceProxy: deps.instanceProxy,
  });
  const sent = await deps.transport.send(upstreamRequest, { signal, timeouts: deps.timeouts });
  const upstream = channel.adaptResponse?.(sent, input) ?? sent;
  return { upstream, conversion, upstreamStream: stream, stripStreamUsage: stripUsage, rules };
}
