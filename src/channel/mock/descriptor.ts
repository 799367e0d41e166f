import type { ChannelDescriptor } from '../contract';

export const mockDescriptor: ChannelDescriptor = {
  id: 'mock',
  displayName: 'Mock (offline, deterministic)',
  nativeWires: ['openai-chat', 'openai-responses', 'claude', 'gemini'],
  settings: [
    { key: 'latency_ms', label: 'Delay before the first byte (ms)', required: false, default: '0' },
    { key: 'chunk_interval_ms', label: 'Delay between stream chunks (ms)', required: false, default: '0' },
    { key: 'chunks', label: 'Most stream chunks (words are grouped to fit)', required: false },
  ],
  secretFields: [],
};
