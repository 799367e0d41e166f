/** The custom channel: a base URL of your choice speaking one of the four wires, chosen by the `wire` setting. */
import type { RoutingRule } from '../contract';
import { httpChannel } from '../http-channel';
import type { SyncChannel } from '../http-channel';
import { customDescriptor } from './descriptor';
import { customWireOf, prepareCustom } from './prepare';

export const customChannel: SyncChannel = {
  ...httpChannel(customDescriptor, prepareCustom),
  routingRule(operation, provider): RoutingRule {
    if (operation.operation !== 'generate-content') return { kind: 'unsupported' };
    const wire = customWireOf(provider);
    // A bad `wire` setting is let through so that prepare reports it by name, rather than the
    // provider being skipped with a vague "cannot serve".
    if (wire === undefined || operation.wire === wire) return { kind: 'passthrough' };
    return { kind: 'convert', to: wire };
  },
};
