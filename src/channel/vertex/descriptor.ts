import type { ChannelDescriptor } from '../contract';

export const VERTEX_DEFAULT_LOCATION = 'us-central1';
export const VERTEX_DEFAULT_PUBLISHER = 'google';

export const vertexDescriptor: ChannelDescriptor = {
  id: 'vertex',
  displayName: 'Google Vertex AI',
  // Per provider only one of them: `publisher` google speaks gemini, anthropic speaks claude.
  nativeWires: ['gemini', 'claude'],
  settings: [
    {
      key: 'publisher',
      label: 'Publisher (google or anthropic)',
      required: false,
      default: VERTEX_DEFAULT_PUBLISHER,
    },
    { key: 'project', label: 'Project id (default: the service account project)', required: false },
    {
      key: 'location',
      label: 'Location (region or global)',
      required: false,
      default: VERTEX_DEFAULT_LOCATION,
    },
    // No default: the host depends on the location.
    { key: 'base_url', label: 'Base URL override (…/v1)', required: false },
  ],
  // One of them per credential: the service-account JSON text, or a ready OAuth access token.
  secretFields: ['service_account', 'access_token'],
};
