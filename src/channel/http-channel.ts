/** A channel that sends HTTP requests upstream: native passthrough routing and the shared status table. */
import { classifyStatus } from './classify-status';
import type { Channel, ChannelDescriptor, PrepareInput, UpstreamRequest } from './contract';
import { passthroughNative } from './routing';

export function httpChannel(
  descriptor: ChannelDescriptor,
  prepare: (input: PrepareInput) => UpstreamRequest,
): Channel {
  return {
    descriptor,
    routingRule: (operation) => passthroughNative(descriptor.nativeWires, operation),
    prepare,
    classify: classifyStatus,
  };
}
