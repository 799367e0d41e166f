import type { ChannelDescriptor } from '../contract';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

export const geminiDescriptor: ChannelDescriptor = {
  id: 'gemini',
  displayName: 'Google Gemini (AI Studio)',
  nativeWires: ['gemini'],
  settings: [{ key: 'base_url', label: 'Base URL', required: false, default: GEMINI_DEFAULT_BASE_URL }],
  secretFields: ['api_key'],
};
