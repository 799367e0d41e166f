import type { WireKind } from '../../protocol/operation';
import type { ChannelDescriptor } from '../contract';

/** The wires a custom endpoint can speak; its `wire` setting picks one. */
export const CUSTOM_WIRES = [
  'openai-chat',
  'openai-responses',
  'claude',
  'gemini',
] as const satisfies readonly WireKind[];
export type CustomWire = (typeof CUSTOM_WIRES)[number];

export const CUSTOM_DEFAULT_WIRE: CustomWire = 'openai-chat';

export const customDescriptor: ChannelDescriptor = {
  id: 'custom',
  displayName: 'Custom endpoint',
  nativeWires: CUSTOM_WIRES,
  settings: [
    { key: 'base_url', label: 'Base URL', required: true },
    {
      key: 'wire',
      label: 'Wire (openai-chat, openai-responses, claude, gemini)',
      required: false,
      default: CUSTOM_DEFAULT_WIRE,
    },
    { key: 'auth_header', label: 'Auth header name (default: the wire’s own)', required: false },
    { key: 'auth_scheme', label: 'Auth scheme before the key (empty: the bare key)', required: false },
    { key: 'headers', label: 'Extra headers (JSON object)', required: false },
  ],
  secretFields: ['api_key'],
};
