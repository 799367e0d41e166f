/** Every wire kind's generate-content codec (decision 0006); a new wire kind fails to compile until listed. */
import type { GenerateContentCodec } from '../canonical/codec';
import type { WireKind } from '../operation';
import { claudeCodec } from './claude/generate-content/codec';
import { geminiCodec } from './gemini/generate-content/codec';
import { openAiChatCodec } from './openai-chat/generate-content/codec';
import { openAiResponsesCodec } from './openai-responses/generate-content/codec';

export const GENERATE_CONTENT_CODECS: Record<WireKind, GenerateContentCodec> = {
  'openai-chat': openAiChatCodec,
  'openai-responses': openAiResponsesCodec,
  claude: claudeCodec,
  gemini: geminiCodec,
};
