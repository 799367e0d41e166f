/**
 * The AWS Bedrock channel, with SigV4 or a Bedrock API key: Claude models through InvokeModel /
 * InvokeModelWithResponseStream (Claude clients pass through, other wires are converted to Claude),
 * every other model through Converse / ConverseStream (every client wire is converted to the
 * upstream-only `bedrock-converse` wire). The `api` setting overrides the choice (api.ts).
 */
import { classifyStatus } from '../classify-status';
import type { Channel } from '../contract';
import { passthroughOrConvert } from '../routing';
import { adaptBedrockResponse } from './adapt-response';
import { routingApi } from './api';
import { awsBedrockDescriptor } from './descriptor';
import { prepareBedrock } from './prepare';

export const awsBedrockChannel: Channel = {
  descriptor: awsBedrockDescriptor,
  routingRule: (operation, provider, upstreamModel) => {
    if (operation.operation !== 'generate-content') return { kind: 'unsupported' };
    if (routingApi(provider, upstreamModel) === 'converse')
      return { kind: 'convert', to: 'bedrock-converse' };
    return passthroughOrConvert(awsBedrockDescriptor.nativeWires, operation, provider);
  },
  prepare: prepareBedrock,
  adaptResponse: adaptBedrockResponse,
  classify: classifyStatus,
};
