import { describe, expect, it } from 'vitest';
import { createChannelRegistry } from './registry';

describe('createChannelRegistry', () => {
  it('holds the built-in channels by id', () => {
    const registry = createChannelRegistry();
    expect(registry.list().map((channel) => channel.descriptor.id)).toEqual([
      'openai',
      'anthropic',
      'gemini',
      'mock',
    ]);
    expect(registry.get('anthropic')?.descriptor.nativeWires).toEqual(['claude']);
    expect(registry.get('nope')).toBeUndefined();
  });

  it('describes the settings and secret fields of each channel', () => {
    for (const channel of createChannelRegistry().list()) {
      const { descriptor } = channel;
      expect(descriptor.displayName.length).toBeGreaterThan(0);
      if (descriptor.id === 'mock') {
        expect(descriptor.secretFields).toEqual([]);
      } else {
        expect(descriptor.secretFields).toEqual(['api_key']);
        expect(descriptor.settings.find((field) => field.key === 'base_url')?.default).toMatch(/^https:\/\//);
      }
    }
  });
});
