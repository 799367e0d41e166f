/** The OpenAI channel: Chat Completions and Responses, passed through natively. */
import { httpChannel } from '../http-channel';
import { openAiDescriptor } from './descriptor';
import { prepareOpenAi } from './prepare';

export const openAiChannel = httpChannel(openAiDescriptor, prepareOpenAi);
