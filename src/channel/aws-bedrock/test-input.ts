/** The prepare input of a streamed Claude request on Bedrock, shared by the channel's response tests. */
import type { PrepareInput } from '../contract';
import { testServices } from '../test-services';

export const streamingClaudeInput = {
  provider: { name: 'bedrock', settings: {} },
  credential: { label: 'k', secret: { api_key: 'x' } },
  operation: { operation: 'generate-content', wire: 'claude' },
  stream: true,
  streamFormat: 'sse',
  upstreamModel: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  body: '{}',
  clientHeaders: {},
  services: testServices(),
  signal: new AbortController().signal,
} satisfies PrepareInput;
