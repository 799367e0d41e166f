/** Routing defaults shared by channels. */
import { GatewayError } from '../core/errors';
import type { OperationKey, WireKind } from '../protocol/operation';
import type { RoutingRule } from './contract';

/** Generate-content in a wire the channel speaks natively goes through untouched; the rest waits for conversion. */
export function passthroughNative(nativeWires: readonly WireKind[], operation: OperationKey): RoutingRule {
  return operation.operation === 'generate-content' && nativeWires.includes(operation.wire)
    ? { kind: 'passthrough' }
    : { kind: 'unsupported' };
}

export function unsupportedOperation(channelId: string, operation: OperationKey): GatewayError {
  return new GatewayError(
    'unsupported_operation',
    `The ${channelId} channel does not serve ${operation.operation} in the ${operation.wire} wire`,
  );
}
