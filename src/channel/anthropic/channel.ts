/** The Anthropic channel: Claude Messages, passed through natively. */
import { httpChannel } from '../http-channel';
import { anthropicDescriptor } from './descriptor';
import { prepareAnthropic } from './prepare';

export const anthropicChannel = httpChannel(anthropicDescriptor, prepareAnthropic);
