/** Content of Chat Completions messages (string or parts) as canonical parts. */
import type { DocumentPart, ImagePart, TextPart } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asArray, asObject, asString } from '../../../../json-access';
import { decodeFilePart, decodeImagePart } from './media';

export type InputPart = TextPart | ImagePart | DocumentPart;

/** User (and tool) content: text, images and files; audio and unknown part kinds are reported and left out. */
export function decodeInputContent(content: unknown, path: string, warnings: TransformWarnings): InputPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const items = asArray(content);
  if (!items) return [];
  const parts: InputPart[] = [];
  items.forEach((item, j) => {
    const part = asObject(item);
    const field = `${path}[${j}]`;
    if (!part) return;
    // Cache breakpoints (OpenAI `prompt_cache_breakpoint`, Anthropic-style `cache_control` that
    // some clients add) steer provider caching only; the canonical model has no place for them.
    if (part['prompt_cache_breakpoint'] !== undefined)
      warnings.add('dropped', `${field}.prompt_cache_breakpoint`);
    if (part['cache_control'] !== undefined) warnings.add('dropped', `${field}.cache_control`);
    const decoded = decodeInputPart(part, field, warnings);
    if (decoded) parts.push(decoded);
  });
  return parts;
}

function decodeInputPart(
  part: Record<string, unknown>,
  field: string,
  warnings: TransformWarnings,
): InputPart | undefined {
  switch (part['type']) {
    case 'text': {
      const text = asString(part['text']);
      if (text !== undefined) return { type: 'text', text };
      break;
    }
    case 'image_url': {
      const image = decodeImagePart(part);
      if (image) return image;
      break;
    }
    case 'file': {
      const document = decodeFilePart(part);
      if (document) return document;
      break;
    }
    case 'input_audio':
      warnings.add('dropped', field, 'input_audio');
      return undefined;
  }
  warnings.add('dropped', field, `content part of type ${String(part['type'])}`);
  return undefined;
}

/** System, developer and tool text: only text parts have a meaning there. */
export function decodeTextContent(content: unknown, path: string, warnings: TransformWarnings): TextPart[] {
  const parts = decodeInputContent(content, path, warnings);
  const texts: TextPart[] = [];
  parts.forEach((part) => {
    if (part.type === 'text') texts.push(part);
    else warnings.add('dropped', path, `${part.type} in a text-only message`);
  });
  return texts;
}
