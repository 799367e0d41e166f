/** The Gemini (AI Studio) channel: generateContent and streamGenerateContent, passed through natively. */
import { httpChannel } from '../http-channel';
import { GEMINI_DEFAULT_BASE_URL, geminiDescriptor } from './descriptor';
import { geminiModelList } from '../model-lists';
import { prepareGemini } from './prepare';

export const geminiChannel = httpChannel(
  geminiDescriptor,
  prepareGemini,
  geminiModelList(GEMINI_DEFAULT_BASE_URL),
);
