/** The built-in channels by id; provider records name one of these in `channel`. */
import { anthropicChannel } from './anthropic/channel';
import type { Channel } from './contract';
import { geminiChannel } from './gemini/channel';
import { mockChannel } from './mock/channel';
import { openAiChannel } from './openai/channel';

export interface ChannelRegistry {
  get(id: string): Channel | undefined;
  list(): Channel[];
}

const BUILT_IN: readonly Channel[] = [openAiChannel, anthropicChannel, geminiChannel, mockChannel];

export function createChannelRegistry(channels: readonly Channel[] = BUILT_IN): ChannelRegistry {
  const byId = new Map(channels.map((channel) => [channel.descriptor.id, channel]));
  return {
    get: (id) => byId.get(id),
    list: () => [...byId.values()],
  };
}
