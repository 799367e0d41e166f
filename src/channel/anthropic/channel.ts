/** The Anthropic channel: Claude Messages, passed through natively. */
import { httpChannel } from '../http-channel';
import { ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_DEFAULT_VERSION, anthropicDescriptor } from './descriptor';
import { anthropicModelList } from '../model-lists';
import { prepareAnthropic } from './prepare';

export const anthropicChannel = httpChannel(
  anthropicDescriptor,
  prepareAnthropic,
  anthropicModelList(ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_DEFAULT_VERSION),
);
