/**
 * One channel per OpenAI-compatible preset (presets.ts), all built on the OpenAI channel's request
 * preparation: only the default base URL, the wires and whether a key is required differ.
 */
import type { ChannelDescriptor } from '../contract';
import { httpChannel } from '../http-channel';
import type { SyncChannel } from '../http-channel';
import { withExtraHeaders } from '../map-settings';
import { openAiStyleModelList } from '../model-lists';
import { prepareOpenAiStyle } from '../openai/prepare';
import type { OpenAiStyleOptions } from '../openai/prepare';
import { OPENAI_COMPATIBLE_PRESETS } from '../presets';
import type { OpenAiCompatiblePreset } from '../presets';

export function presetDescriptor(preset: OpenAiCompatiblePreset): ChannelDescriptor {
  return {
    id: preset.id,
    displayName: preset.displayName,
    nativeWires: preset.nativeWires,
    settings: [
      { key: 'base_url', label: 'Base URL', required: false, default: preset.baseUrl },
      { key: 'headers', label: 'Extra headers (JSON object)', required: false },
    ],
    // The planner needs no credential when a channel declares no secret field: local servers then
    // work without one, and a credential that is configured is still used for its key.
    secretFields: preset.keyRequired ? ['api_key'] : [],
  };
}

export function openAiCompatibleChannel(preset: OpenAiCompatiblePreset): SyncChannel {
  const options: OpenAiStyleOptions = {
    channelId: preset.id,
    defaultBaseUrl: preset.baseUrl,
    wires: preset.nativeWires,
    keyRequired: preset.keyRequired,
  };
  return httpChannel(
    presetDescriptor(preset),
    (input) => withExtraHeaders(prepareOpenAiStyle(input, options), input.provider, ['authorization']),
    openAiStyleModelList(preset.baseUrl, preset.keyRequired),
  );
}

export const openAiCompatibleChannels: readonly SyncChannel[] =
  OPENAI_COMPATIBLE_PRESETS.map(openAiCompatibleChannel);
