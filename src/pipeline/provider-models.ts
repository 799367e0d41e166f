/**
 * The admin API's "pull models": the provider's live upstream model list, fetched through its
 * channel with its first usable credential (in rotation order) and the gateway's transport.
 */
import type { ChannelCache, Transport, TransportTimeouts } from '../channel/contract';
import type { ChannelRegistry } from '../channel/registry';
import type { Clock } from '../core/clock';
import { GatewayError } from '../core/errors';
import type { Snapshot } from '../control-plane/snapshot';
import { collectBody } from './collect-body';
import { resolveDispatch } from './dispatch';
import { upstreamErrorFromBody } from './convert/upstream-error';

export interface ModelPullDeps {
  snapshots: { readonly current: Snapshot };
  channels: ChannelRegistry;
  transport: Transport;
  timeouts: TransportTimeouts;
  clock: Clock;
  cache: ChannelCache;
  instanceProxy: string | undefined;
}

const LIST_LIMIT = 8 * 1024 * 1024;
const decoder = new TextDecoder();

export async function pullProviderModels(
  deps: ModelPullDeps,
  providerName: string,
  signal: AbortSignal,
): Promise<string[]> {
  const provider = deps.snapshots.current.providersByName.get(providerName);
  if (provider === undefined)
    throw new GatewayError('not_found', `No enabled provider named '${providerName}'.`);
  const listing = deps.channels.get(provider.channel)?.listModels;
  if (listing === undefined) {
    throw new GatewayError(
      'unsupported_operation',
      `The ${provider.channel} channel has no upstream model list.`,
    );
  }
  const credential = provider.credentials[0];
  const services = {
    now: deps.clock.now(),
    cache: deps.cache,
    fetchText: async (request: Parameters<Transport['send']>[0], auxSignal: AbortSignal) => {
      const response = await deps.transport.send(request, { signal: auxSignal, timeouts: deps.timeouts });
      return { status: response.status, body: decoder.decode(await collectBody(response.body, LIST_LIMIT)) };
    },
  };
  const context = { name: provider.name, settings: provider.settings };
  const request = await listing.request({
    provider: context,
    credential: { label: credential?.label ?? '', secret: credential?.secret ?? {} },
    services,
  });
  request.dispatch ??= resolveDispatch({
    provider: context,
    credential: credential === undefined ? null : { label: credential.label, settings: credential.settings },
    instanceProxy: deps.instanceProxy,
  });
  const { status, body } = await services.fetchText(request, signal);
  if (status >= 400) throw upstreamErrorFromBody(status, body, undefined);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GatewayError('upstream_bad_response', 'The upstream model list is not JSON.');
  }
  return [...new Set(listing.parse(json))].sort();
}
