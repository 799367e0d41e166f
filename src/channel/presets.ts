/**
 * OpenAI-compatible upstreams as data: each entry becomes a channel (its id is what a provider names
 * in `channel`) built by openai-compatible/channel.ts on the OpenAI channel's request preparation.
 * Adding a provider that speaks the OpenAI API is one entry here, not a copy of code.
 */
import type { WireKind } from '../protocol/operation';

export interface OpenAiCompatiblePreset {
  readonly id: string;
  readonly displayName: string;
  /** Default `base_url`; requests go to `{base_url}/chat/completions` and `{base_url}/responses`. */
  readonly baseUrl: string;
  /**
   * Chat Completions always comes first (other wires are converted to it); Responses is listed only
   * where the provider documents `/responses` at the same base URL, so Responses clients pass through.
   */
  readonly nativeWires: readonly Extract<WireKind, 'openai-chat' | 'openai-responses'>[];
  /** False for local servers that need no key: the credential (and its `api_key`) is then optional. */
  readonly keyRequired: boolean;
  /** What an operator should know: model id shapes, regional endpoints, version requirements. */
  readonly notes: string;
}

const CHAT = ['openai-chat'] as const;
const CHAT_AND_RESPONSES = ['openai-chat', 'openai-responses'] as const;

export const OPENAI_COMPATIBLE_PRESETS: readonly OpenAiCompatiblePreset[] = [
  {
    id: 'deepseek',
    displayName: 'DeepSeek',
    baseUrl: 'https://api.deepseek.com/v1',
    nativeWires: CHAT,
    keyRequired: true,
    notes: 'Models such as deepseek-chat and deepseek-reasoner.',
  },
  {
    id: 'groq',
    displayName: 'Groq',
    baseUrl: 'https://api.groq.com/openai/v1',
    nativeWires: CHAT_AND_RESPONSES,
    keyRequired: true,
    notes:
      'Groq documents its Responses API as beta; set "wire": "openai-chat" to convert to Chat Completions instead.',
  },
  {
    id: 'mistral',
    displayName: 'Mistral AI',
    baseUrl: 'https://api.mistral.ai/v1',
    nativeWires: CHAT,
    keyRequired: true,
    notes: 'La Plateforme; models such as mistral-large-latest.',
  },
  {
    id: 'xai',
    displayName: 'xAI (Grok)',
    baseUrl: 'https://api.x.ai/v1',
    nativeWires: CHAT_AND_RESPONSES,
    keyRequired: true,
    notes: 'xAI recommends its Responses API; Chat Completions stays available.',
  },
  {
    id: 'openrouter',
    displayName: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    nativeWires: CHAT_AND_RESPONSES,
    keyRequired: true,
    notes:
      'Model ids are vendor/model (e.g. openai/gpt-4o-mini). Attribution headers (HTTP-Referer, X-Title) go in the "headers" setting. Its Responses API is beta and stateless.',
  },
  {
    id: 'together',
    displayName: 'Together AI',
    baseUrl: 'https://api.together.xyz/v1',
    nativeWires: CHAT,
    keyRequired: true,
    notes: 'Model ids are organization/model (e.g. meta-llama/Llama-3.3-70B-Instruct-Turbo).',
  },
  {
    id: 'fireworks',
    displayName: 'Fireworks AI',
    baseUrl: 'https://api.fireworks.ai/inference/v1',
    nativeWires: CHAT_AND_RESPONSES,
    keyRequired: true,
    notes: 'Model ids look like accounts/fireworks/models/<name>.',
  },
  {
    id: 'moonshot',
    displayName: 'Moonshot AI (Kimi)',
    baseUrl: 'https://api.moonshot.ai/v1',
    nativeWires: CHAT,
    keyRequired: true,
    notes: 'International endpoint; keys issued in mainland China use base_url https://api.moonshot.cn/v1.',
  },
  {
    id: 'dashscope',
    displayName: 'Alibaba Cloud Model Studio (DashScope, Qwen)',
    baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
    nativeWires: CHAT,
    keyRequired: true,
    notes:
      'International (Singapore) endpoint; the mainland China region uses base_url https://dashscope.aliyuncs.com/compatible-mode/v1.',
  },
  {
    id: 'ollama',
    displayName: 'Ollama',
    baseUrl: 'http://127.0.0.1:11434/v1',
    nativeWires: CHAT_AND_RESPONSES,
    keyRequired: false,
    notes:
      'No key needed. Responses needs Ollama 0.13.3 or later (stateless only); set "wire": "openai-chat" for older servers.',
  },
  {
    id: 'vllm',
    displayName: 'vLLM',
    baseUrl: 'http://127.0.0.1:8000/v1',
    nativeWires: CHAT_AND_RESPONSES,
    keyRequired: false,
    notes: 'A key is needed only when the server was started with --api-key.',
  },
  {
    id: 'lmstudio',
    displayName: 'LM Studio',
    baseUrl: 'http://127.0.0.1:1234/v1',
    nativeWires: CHAT_AND_RESPONSES,
    keyRequired: false,
    notes: 'No key needed unless the server requires one. Model ids are the identifiers LM Studio shows.',
  },
];
