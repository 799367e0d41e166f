/** Every wire kind's generate-content support; a new wire kind fails to compile until it is listed here. */
import type { WireKind } from '../operation';
import type { GenerateContentWire } from '../wire';
import { claudeGenerateContent } from './claude/generate-content/wire';
import { geminiGenerateContent } from './gemini/generate-content/wire';
import { openAiChatGenerateContent } from './openai-chat/generate-content/wire';
import { openAiResponsesGenerateContent } from './openai-responses/generate-content/wire';

export const GENERATE_CONTENT_WIRES: Record<WireKind, GenerateContentWire> = {
  'openai-chat': openAiChatGenerateContent,
  'openai-responses': openAiResponsesGenerateContent,
  claude: claudeGenerateContent,
  gemini: geminiGenerateContent,
};

export { normalizeGeminiModel } from './gemini/generate-content/request';
export { JsonArrayScanner } from './gemini/generate-content/json-array-scanner';
