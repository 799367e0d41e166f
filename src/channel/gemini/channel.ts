/** The Gemini (AI Studio) channel: generateContent and streamGenerateContent, passed through natively. */
import { httpChannel } from '../http-channel';
import { geminiDescriptor } from './descriptor';
import { prepareGemini } from './prepare';

export const geminiChannel = httpChannel(geminiDescriptor, prepareGemini);
