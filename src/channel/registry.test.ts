import { describe, expect, it } from 'vitest';
import { createChannelRegistry } from './registry';

const EXPECTED = [
  'openai',
  'anthropic',
  'gemini',
  'mock',
  'azure',
  'vertex',
  'aws-bedrock',
  'custom',
  'deepseek',
  'groq',
  'mistral',
  'xai',
  'openrouter',
  'together',
  'fireworks',
  'moonshot',
  'dashscope',
  'ollama',
  'vllm',
  'lmstudio',
];

describe('createChannelRegistry', () => {
  it('holds every built-in channel by id, once', () => {
    const registry = createChannelRegistry();
    const ids = registry.list().map((channel) => channel.descriptor.id);
    expect([...ids].sort()).toEqual([...EXPECTED].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(registry.get('anthropic')?.descriptor.nativeWires).toEqual(['claude']);
    expect(registry.get('nope')).toBeUndefined();
  });

  it('describes each channel well enough for a provider form', () => {
    for (const { descriptor } of createChannelRegistry().list()) {
      expect(descriptor.displayName.length).toBeGreaterThan(0);
      expect(descriptor.nativeWires.length).toBeGreaterThan(0);
      for (const field of descriptor.settings) {
        expect(field.key).toMatch(/^[a-z_]+$/);
        expect(field.label.length).toBeGreaterThan(0);
        if (field.key === 'base_url' && field.default !== undefined)
          expect(field.default).toMatch(/^https?:\/\//);
      }
      for (const secret of descriptor.secretFields) expect(secret).toMatch(/^[a-z_]+$/);
    }
    expect(createChannelRegistry().get('mock')?.descriptor.secretFields).toEqual([]);
    expect(createChannelRegistry().get('openai')?.descriptor.secretFields).toEqual(['api_key']);
  });
});
