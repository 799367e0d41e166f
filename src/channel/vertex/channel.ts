/**
 * The Vertex AI channel: Gemini models (publisher google) and Anthropic partner models (publisher
 * anthropic). One provider serves one publisher, since routing sees the provider, not the model.
 */
import { classifyStatus } from '../classify-status';
import type { Channel, PrepareInput, UpstreamRequest } from '../contract';
import { passthroughOrConvert } from '../routing';
import { vertexDescriptor } from './descriptor';
import { publisherOf } from './endpoint';
import { prepareVertex } from './prepare';

/** Preparing is always async here (the token exchange), so callers may rely on a promise. */
export type VertexChannel = Omit<Channel, 'prepare'> & {
  prepare(input: PrepareInput): Promise<UpstreamRequest>;
};

export const vertexChannel: VertexChannel = {
  descriptor: vertexDescriptor,
  routingRule(operation, provider) {
    const publisher = publisherOf(provider);
    // An unknown publisher serves nothing; prepare would name the bad setting.
    if (publisher === undefined) return { kind: 'unsupported' };
    return passthroughOrConvert([publisher === 'google' ? 'gemini' : 'claude'], operation, provider);
  },
  prepare: prepareVertex,
  classify: classifyStatus,
};
