/**
 * A client request and the exact Converse body it becomes, shared by the codec's tests and the
 * aws-bedrock channel's end-to-end tests (imported by tests only).
 */
export const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** An OpenAI Chat client's tool loop with a system prompt, an image and a tool error. */
export const CHAT_TOOL_LOOP = {
  model: 'nova',
  max_tokens: 300,
  temperature: 0.2,
  stop: ['END'],
  messages: [
    { role: 'system', content: 'You are a weather bot.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather where this photo was taken, and in Oslo?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1PX}` } },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '18C, sunny' },
    { role: 'tool', tool_call_id: 'call_2', content: 'station offline' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ],
  tool_choice: 'required',
};

/** The exact Converse body CHAT_TOOL_LOOP becomes. */
export const CONVERSE_TOOL_LOOP = {
  messages: [
    {
      role: 'user',
      content: [
        { text: 'Weather where this photo was taken, and in Oslo?' },
        { image: { format: 'png', source: { bytes: PNG_1PX } } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Paris' } } },
        { toolUse: { toolUseId: 'call_2', name: 'get_weather', input: { city: 'Oslo' } } },
      ],
    },
    {
      role: 'user',
      content: [
        { toolResult: { toolUseId: 'call_1', content: [{ text: '18C, sunny' }] } },
        { toolResult: { toolUseId: 'call_2', content: [{ text: 'station offline' }] } },
      ],
    },
  ],
  system: [{ text: 'You are a weather bot.' }],
  inferenceConfig: { maxTokens: 300, temperature: 0.2, stopSequences: ['END'] },
  toolConfig: {
    tools: [
      {
        toolSpec: {
          name: 'get_weather',
          description: 'Current weather for a city',
          inputSchema: {
            json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      },
    ],
    toolChoice: { any: {} },
  },
};
