/** The OpenAI channel: Chat Completions and Responses, passed through natively. */
import { httpChannel } from '../http-channel';
import { OPENAI_DEFAULT_BASE_URL, openAiDescriptor } from './descriptor';
import { openAiStyleModelList } from '../model-lists';
import { prepareOpenAi } from './prepare';

export const openAiChannel = httpChannel(
  openAiDescriptor,
  prepareOpenAi,
  openAiStyleModelList(OPENAI_DEFAULT_BASE_URL, true),
);
