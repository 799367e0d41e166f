/** The mock's renderer per wire; a new wire kind fails to compile until the mock can answer in it. */
import type { WireKind } from '../../../protocol/operation';
import { claudeRenderer } from './claude';
import { geminiRenderer } from './gemini';
import { openAiChatRenderer } from './openai-chat';
import { openAiResponsesRenderer } from './openai-responses';
import type { MockRenderer } from './renderer';

export const MOCK_RENDERERS: Record<WireKind, MockRenderer> = {
  'openai-chat': openAiChatRenderer,
  'openai-responses': openAiResponsesRenderer,
  claude: claudeRenderer,
  gemini: geminiRenderer,
};
