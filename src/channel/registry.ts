/** The built-in channels by id; provider records name one of these in `channel`. */
import { anthropicChannel } from './anthropic/channel';
import { awsBedrockChannel } from './aws-bedrock/channel';
import { azureChannel } from './azure/channel';
import type { Channel } from './contract';
import { customChannel } from './custom/channel';
import { geminiChannel } from './gemini/channel';
import { mockChannel } from './mock/channel';
import { openAiChannel } from './openai/channel';
import { openAiCompatibleChannels } from './openai-compatible/channel';
import { vertexChannel } from './vertex/channel';

export interface ChannelRegistry {
  get(id: string): Channel | undefined;
  list(): Channel[];
}

const BUILT_IN: readonly Channel[] = [
  openAiChannel,
  anthropicChannel,
  geminiChannel,
  mockChannel,
  azureChannel,
  vertexChannel,
  awsBedrockChannel,
  ...openAiCompatibleChannels,
  customChannel,
];

export function createChannelRegistry(channels: readonly Channel[] = BUILT_IN): ChannelRegistry {
  const byId = new Map(channels.map((channel) => [channel.descriptor.id, channel]));
  return {
    get: (id) => byId.get(id),
    list: () => [...byId.values()],
  };
}
