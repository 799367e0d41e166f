/**
 * The AWS Bedrock channel: Claude models through InvokeModel / InvokeModelWithResponseStream, with
 * SigV4 or a Bedrock API key. Other wires are converted to Claude by the pipeline.
 */
import { classifyStatus } from '../classify-status';
import type { Channel } from '../contract';
import { passthroughOrConvert } from '../routing';
import { adaptBedrockResponse } from './adapt-response';
import { awsBedrockDescriptor } from './descriptor';
import { prepareBedrock } from './prepare';

export const awsBedrockChannel: Channel = {
  descriptor: awsBedrockDescriptor,
  routingRule: (operation, provider) =>
    passthroughOrConvert(awsBedrockDescriptor.nativeWires, operation, provider),
  prepare: prepareBedrock,
  adaptResponse: adaptBedrockResponse,
  classify: classifyStatus,
};
