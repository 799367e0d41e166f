import type { ChannelDescriptor } from '../contract';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com/v1';
/** Sent when the client names no version; the only stable Messages API version to date. */
export const ANTHROPIC_DEFAULT_VERSION = '2023-06-01';

export const anthropicDescriptor: ChannelDescriptor = {
  id: 'anthropic',
  displayName: 'Anthropic',
  nativeWires: ['claude'],
  settings: [{ key: 'base_url', label: 'Base URL', required: false, default: ANTHROPIC_DEFAULT_BASE_URL }],
  secretFields: ['api_key'],
};
