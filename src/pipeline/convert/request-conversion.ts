/**
 * Converting a client's request for an upstream of another wire: the client body is decoded into
 * the canonical model once per request (several candidates may need it), then encoded for each
 * upstream wire tried.
 */
import type { CanonicalRequest } from '../../protocol/canonical/request';
import type { GenerateContentCodec } from '../../protocol/canonical/codec';
import { TransformWarnings, type TransformWarning } from '../../protocol/canonical/warnings';
import type { UpstreamWireKind, WireKind } from '../../protocol/operation';
import { GENERATE_CONTENT_CODECS } from '../../protocol/wires/codecs';
import type { GatewayRequest } from '../gateway-request';

export interface Conversion {
  client: GenerateContentCodec;
  upstream: GenerateContentCodec;
  /** Warnings of decoding the client request, encoding it upstream, and converting the answer back. */
  warnings: TransformWarnings;
  canonical: CanonicalRequest;
}

export class CanonicalRequestSource {
  private decoded: { canonical: CanonicalRequest; warnings: readonly TransformWarning[] } | undefined;

  constructor(private readonly request: GatewayRequest) {}

  /** Throws GatewayError('invalid_request') when the client body cannot be understood. */
  get(): { canonical: CanonicalRequest; warnings: readonly TransformWarning[] } {
    if (this.decoded === undefined) {
      const warnings = new TransformWarnings();
      const codec = GENERATE_CONTENT_CODECS[this.request.operation.wire];
      const canonical = codec.decodeRequest(this.request.body, {
        warnings,
        path: {
          model: this.request.modelInPath ? this.request.model : undefined,
          stream: this.request.stream,
        },
      });
      this.decoded = { canonical, warnings: warnings.list };
    }
    return this.decoded;
  }
}

export function convertRequest(
  source: CanonicalRequestSource,
  clientWire: WireKind,
  upstreamWire: UpstreamWireKind,
  upstreamModel: string,
  upstreamStream: boolean,
): { body: string; conversion: Conversion } {
  const { canonical: decoded, warnings: decodeWarnings } = source.get();
  const canonical = decoded.stream === upstreamStream ? decoded : { ...decoded, stream: upstreamStream };
  const warnings = new TransformWarnings();
  for (const w of decodeWarnings) warnings.add(w.kind, w.field, w.detail);
  const upstream = GENERATE_CONTENT_CODECS[upstreamWire];
  const body = JSON.stringify(upstream.encodeRequest(canonical, { warnings, upstreamModel }));
  return { body, conversion: { client: GENERATE_CONTENT_CODECS[clientWire], upstream, warnings, canonical } };
}
