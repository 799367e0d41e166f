import type { ChannelDescriptor } from '../contract';

/** The newest GA data-plane version of the deployment-style API (`/openai/deployments/...`). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';
/** The `api_version` value that selects the version-less v1 API (`/openai/v1/...`) for chat too. */
export const AZURE_V1 = 'v1';

export const azureDescriptor: ChannelDescriptor = {
  id: 'azure',
  displayName: 'Azure OpenAI / Azure AI Foundry',
  nativeWires: ['openai-chat', 'openai-responses'],
  settings: [
    { key: 'base_url', label: 'Resource endpoint, e.g. https://myres.openai.azure.com', required: true },
    {
      key: 'api_version',
      label: 'api-version of deployment URLs, or "v1" for the v1 API',
      required: false,
      default: AZURE_DEFAULT_API_VERSION,
    },
    { key: 'deployments', label: 'Deployments (JSON object: model → deployment name)', required: false },
  ],
  // One of the two: a resource key (sent as `api-key`) or a Microsoft Entra ID access token.
  secretFields: ['api_key', 'bearer'],
};
