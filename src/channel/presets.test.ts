import { describe, expect, it } from 'vitest';
import { OPENAI_COMPATIBLE_PRESETS } from './presets';

const EXPECTED_BASE_URLS: Record<string, string> = {
  deepseek: 'https://api.deepseek.com/v1',
  groq: 'https://api.groq.com/openai/v1',
  mistral: 'https://api.mistral.ai/v1',
  xai: 'https://api.x.ai/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  together: 'https://api.together.xyz/v1',
  fireworks: 'https://api.fireworks.ai/inference/v1',
  moonshot: 'https://api.moonshot.ai/v1',
  dashscope: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  ollama: 'http://127.0.0.1:11434/v1',
  vllm: 'http://127.0.0.1:8000/v1',
  lmstudio: 'http://127.0.0.1:1234/v1',
};

describe('OpenAI-compatible presets', () => {
  it('lists each preset once with its documented base URL', () => {
    const byId = Object.fromEntries(OPENAI_COMPATIBLE_PRESETS.map((preset) => [preset.id, preset.baseUrl]));
    expect(byId).toEqual(EXPECTED_BASE_URLS);
    expect(OPENAI_COMPATIBLE_PRESETS).toHaveLength(Object.keys(EXPECTED_BASE_URLS).length);
  });

  it('speaks Chat Completions first (the conversion target) and Responses only where documented', () => {
    const withResponses = OPENAI_COMPATIBLE_PRESETS.filter((p) => p.nativeWires.includes('openai-responses'));
    expect(withResponses.map((p) => p.id)).toEqual([
      'groq',
      'xai',
      'openrouter',
      'fireworks',
      'ollama',
      'vllm',
      'lmstudio',
    ]);
    for (const preset of OPENAI_COMPATIBLE_PRESETS) {
      expect(preset.nativeWires[0]).toBe('openai-chat');
      expect(new Set(preset.nativeWires).size).toBe(preset.nativeWires.length);
    }
  });

  it('requires a key except for the local servers', () => {
    const keyless = OPENAI_COMPATIBLE_PRESETS.filter((p) => !p.keyRequired).map((p) => p.id);
    expect(keyless).toEqual(['ollama', 'vllm', 'lmstudio']);
  });

  it('has a display name, notes and a base URL without a trailing slash for every preset', () => {
    for (const preset of OPENAI_COMPATIBLE_PRESETS) {
      expect(preset.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(preset.displayName.length).toBeGreaterThan(0);
      expect(preset.notes.length).toBeGreaterThan(0);
      expect(preset.baseUrl).not.toMatch(/\/$/);
    }
  });
});
