import type { ChannelDescriptor } from '../contract';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export const openAiDescriptor: ChannelDescriptor = {
  id: 'openai',
  displayName: 'OpenAI',
  nativeWires: ['openai-chat', 'openai-responses'],
  settings: [
    { key: 'base_url', label: 'Base URL', required: false, default: OPENAI_DEFAULT_BASE_URL },
    { key: 'organization', label: 'Organization id (OpenAI-Organization)', required: false },
    { key: 'project', label: 'Project id (OpenAI-Project)', required: false },
  ],
  secretFields: ['api_key'],
};
