/**
 * Every wire kind's generate-content codec (decision 0006), upstream-only wires included (decision
 * 0009); a new wire kind fails to compile until listed.
 */
import type { GenerateContentCodec } from '../canonical/codec';
import type { UpstreamWireKind } from '../operation';
import { bedrockConverseCodec } from './bedrock-converse/generate-content/codec';
import { claudeCodec } from './claude/generate-content/codec';
import { geminiCodec } from './gemini/generate-content/codec';
import { openAiChatCodec } from './openai-chat/generate-content/codec';
import { openAiResponsesCodec } from './openai-responses/generate-content/codec';

export const GENERATE_CONTENT_CODECS: Record<UpstreamWireKind, GenerateContentCodec> = {
  'openai-chat': openAiChatCodec,
  'openai-responses': openAiResponsesCodec,
  claude: claudeCodec,
  gemini: geminiCodec,
  'bedrock-converse': bedrockConverseCodec,
};
