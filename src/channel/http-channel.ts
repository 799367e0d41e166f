/** A channel that sends HTTP requests upstream: native passthrough routing and the shared status table. */
import { classifyStatus } from './classify-status';
import type { Channel, ChannelDescriptor, ModelListing, PrepareInput, UpstreamRequest } from './contract';
import { passthroughOrConvert } from './routing';

/** A channel whose requests need nothing asynchronous to prepare. */
export type SyncChannel = Omit<Channel, 'prepare'> & { prepare(input: PrepareInput): UpstreamRequest };

export function httpChannel(
  descriptor: ChannelDescriptor,
  prepare: (input: PrepareInput) => UpstreamRequest,
  listModels?: ModelListing,
): SyncChannel {
  return {
    ...(listModels === undefined ? {} : { listModels }),
    descriptor,
    routingRule: (operation, provider) => passthroughOrConvert(descriptor.nativeWires, operation, provider),
    prepare,
    classify: classifyStatus,
  };
}
