/** The Azure OpenAI / Azure AI Foundry channel: Chat Completions and Responses on deployments. */
import { httpChannel } from '../http-channel';
import { azureDescriptor } from './descriptor';
import { prepareAzure } from './prepare';

export const azureChannel = httpChannel(azureDescriptor, prepareAzure);
