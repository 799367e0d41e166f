/**
 * Image and document sources between Claude blocks and canonical MediaSource. Plain-text documents
 * carry raw text on Claude (`{type:'text', data}`) but base64 in the canonical model, like every
 * other wire's inline files, so they are converted at this edge.
 */
import type { DocumentPart, ImagePart, MediaSource } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { objectAt, stringAt } from '../../../../json-access';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function utf8ToBase64(text: string): string {
  let binary = '';
  for (const byte of utf8Encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Undefined when the data is not valid base64. */
export function base64ToUtf8(data: string): string | undefined {
  try {
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** `data:<type>;base64,<data>` as a base64 source; other URLs stay URLs. */
function fromUrl(url: string, mediaType?: string): MediaSource {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return { kind: 'base64', mediaType: match[1], data: match[2] };
  }
  return mediaType === undefined ? { kind: 'url', url } : { kind: 'url', url, mediaType };
}

/** Claude `base64` / `url` / `file` sources (image and PDF shapes are the same). */
function decodeCommonSource(source: JsonObject, fallbackMediaType?: string): MediaSource | undefined {
  const type = stringAt(source, 'type');
  if (type === 'base64') {
    const data = stringAt(source, 'data');
    const mediaType = stringAt(source, 'media_type') ?? fallbackMediaType;
    return data !== undefined && mediaType !== undefined ? { kind: 'base64', mediaType, data } : undefined;
  }
  if (type === 'url') {
    const url = stringAt(source, 'url');
    return url === undefined ? undefined : fromUrl(url, fallbackMediaType);
  }
  if (type === 'file') {
    const fileId = stringAt(source, 'file_id');
    return fileId === undefined ? undefined : { kind: 'file-id', fileId };
  }
  return undefined;
}

export function decodeImage(
  block: JsonObject,
  path: string,
  warnings: TransformWarnings,
): ImagePart | undefined {
  const source = objectAt(block, 'source');
  const decoded = source ? decodeCommonSource(source) : undefined;
  if (!decoded) {
    warnings.add('unsupported', `${path}.source`, 'unknown image source');
    return undefined;
  }
  return { type: 'image', source: decoded };
}

export function decodeDocument(
  block: JsonObject,
  path: string,
  warnings: TransformWarnings,
): DocumentPart | undefined {
  const source = objectAt(block, 'source');
  let decoded: MediaSource | undefined;
  if (stringAt(source, 'type') === 'text') {
    decoded = { kind: 'base64', mediaType: 'text/plain', data: utf8ToBase64(stringAt(source, 'data') ?? '') };
  } else if (stringAt(source, 'type') === 'content') {
    decoded = decodeContentSource(source, path, warnings);
  } else if (source) {
    // Claude URL and base64 documents are PDFs.
    decoded = decodeCommonSource(source, 'application/pdf');
  }
  if (!decoded) {
    warnings.add('unsupported', `${path}.source`, 'unknown document source');
    return undefined;
  }
  const part: DocumentPart = { type: 'document', source: decoded };
  const title = stringAt(block, 'title');
  if (title !== undefined) part.filename = title;
  if (block['context'] !== undefined && block['context'] !== null) warnings.add('dropped', `${path}.context`);
  if (objectAt(block, 'citations')?.['enabled'] === true) warnings.add('dropped', `${path}.citations`);
  return part;
}

/** A `content` document (custom chunks) becomes one plain-text document of its text. */
function decodeContentSource(
  source: JsonObject | undefined,
  path: string,
  warnings: TransformWarnings,
): MediaSource {
  const content = source?.['content'];
  let text = '';
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const item of content as unknown[]) {
      const chunk = typeof item === 'object' && item !== null ? (item as JsonObject) : undefined;
      if (stringAt(chunk, 'type') === 'text') texts.push(stringAt(chunk, 'text') ?? '');
      else warnings.add('dropped', `${path}.source.content`, 'non-text chunks of a content document');
    }
    text = texts.join('\n\n');
    warnings.add('approximated', `${path}.source`, 'content document sent as one plain-text document');
  }
  return { kind: 'base64', mediaType: 'text/plain', data: utf8ToBase64(text) };
}

function encodeCommonSource(source: MediaSource): Record<string, unknown> {
  switch (source.kind) {
    case 'base64':
      return { type: 'base64', media_type: source.mediaType, data: source.data };
    case 'url': {
      const inline = fromUrl(source.url);
      return inline.kind === 'base64' ? encodeCommonSource(inline) : { type: 'url', url: source.url };
    }
    case 'file-id':
      // Anthropic Files API ids (file_…) only; a foreign provider's id is rejected upstream.
      return { type: 'file', file_id: source.fileId };
  }
}

export function encodeImage(part: ImagePart, warnings: TransformWarnings): Record<string, unknown> {
  if (part.detail !== undefined) warnings.add('dropped', 'image.detail');
  return { type: 'image', source: encodeCommonSource(part.source) };
}

/** Claude reads PDFs and plain text; other text types go as plain text, anything else is dropped. */
export function encodeDocument(
  part: DocumentPart,
  warnings: TransformWarnings,
): Record<string, unknown> | undefined {
  let source: MediaSource = part.source;
  if (source.kind === 'url') source = fromUrl(source.url, source.mediaType);
  let encoded: Record<string, unknown>;
  if (source.kind === 'base64' && source.mediaType !== 'application/pdf') {
    const text = source.mediaType.startsWith('text/') ? base64ToUtf8(source.data) : undefined;
    if (text === undefined) {
      warnings.add('unsupported', 'document', `Claude cannot read ${source.mediaType} documents`);
      return undefined;
    }
    if (source.mediaType !== 'text/plain')
      warnings.add('approximated', 'document', `${source.mediaType} sent as text/plain`);
    encoded = { type: 'text', media_type: 'text/plain', data: text };
  } else {
    encoded = encodeCommonSource(source);
  }
  const block: Record<string, unknown> = { type: 'document', source: encoded };
  if (part.filename !== undefined) block['title'] = part.filename;
  return block;
}
