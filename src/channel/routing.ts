/** Routing defaults shared by channels. */
import { GatewayError } from '../core/errors';
import type { OperationKey, UpstreamOperationKey, WireKind } from '../protocol/operation';
import type { ProviderContext, RoutingRule } from './contract';

/**
 * Generate-content in a wire the provider speaks natively goes through untouched; any other wire is
 * converted to its first native wire. A provider's `wire` setting (one of the channel's native
 * wires) restricts it to that wire, e.g. an OpenAI-compatible server that only has Responses.
 */
export function passthroughOrConvert(
  nativeWires: readonly WireKind[],
  operation: OperationKey,
  provider: ProviderContext,
): RoutingRule {
  if (operation.operation !== 'generate-content') return { kind: 'unsupported' };
  const only = provider.settings['wire'];
  const wires = nativeWires.filter((wire) => only === undefined || wire === only);
  if (wires.includes(operation.wire)) return { kind: 'passthrough' };
  const to = wires[0];
  return to === undefined ? { kind: 'unsupported' } : { kind: 'convert', to };
}

export function unsupportedOperation(channelId: string, operation: UpstreamOperationKey): GatewayError {
  return new GatewayError(
    'unsupported_operation',
    `The ${channelId} channel does not serve ${operation.operation} in the ${operation.wire} wire`,
  );
}
