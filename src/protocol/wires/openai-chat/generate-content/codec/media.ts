/**
 * Images and files of Chat Completions content parts, both ways. `data:` URLs carry inline bytes
 * (canonical base64 sources); anything else in `image_url.url` is a remote URL.
 */
import { asString } from '../../../../json-access';
import type { DocumentPart, ImagePart, MediaSource } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

/** A base64 `data:` URL split into its media type and data; undefined for anything else. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = DATA_URL.exec(url);
  if (!match) return undefined;
  const params = (match[2] ?? '').split(';');
  if (!params.includes('base64')) return undefined;
  return { mediaType: match[1] || 'application/octet-stream', data: match[3] ?? '' };
}

export function toDataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

function urlSource(url: string): MediaSource {
  const inline = parseDataUrl(url);
  return inline ? { kind: 'base64', ...inline } : { kind: 'url', url };
}

/** `image_url` parts; some clients send the URL string directly instead of `{url}`. */
export function decodeImagePart(part: JsonObject): ImagePart | undefined {
  const imageUrl = part['image_url'];
  const holder = typeof imageUrl === 'object' && imageUrl !== null ? (imageUrl as JsonObject) : undefined;
  const url = asString(imageUrl) ?? asString(holder?.['url']);
  if (url === undefined) return undefined;
  const image: ImagePart = { type: 'image', source: urlSource(url) };
  const detail = holder?.['detail'];
  if (detail === 'auto' || detail === 'low' || detail === 'high') image.detail = detail;
  return image;
}

const MEDIA_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
};

function mediaTypeOfFilename(filename: string | undefined): string {
  const extension = filename?.split('.').pop()?.toLowerCase() ?? '';
  // OpenAI's file inputs are PDFs unless the name says otherwise.
  return MEDIA_BY_EXTENSION[extension] ?? 'application/pdf';
}

/** `file` parts: `file_data` is a data URL (raw base64 is accepted too) or `file_id` names an upload. */
export function decodeFilePart(part: JsonObject): DocumentPart | undefined {
  const file = part['file'];
  if (typeof file !== 'object' || file === null) return undefined;
  const fields = file as JsonObject;
  const filename = asString(fields['filename']);
  const fileData = asString(fields['file_data']);
  const fileId = asString(fields['file_id']);
  let source: MediaSource;
  if (fileData !== undefined) {
    const inline = parseDataUrl(fileData);
    source = inline
      ? { kind: 'base64', ...inline }
      : { kind: 'base64', mediaType: mediaTypeOfFilename(filename), data: fileData };
  } else if (fileId !== undefined) {
    source = { kind: 'file-id', fileId };
  } else {
    return undefined;
  }
  const document: DocumentPart = { type: 'document', source };
  if (filename !== undefined) document.filename = filename;
  return document;
}

export function encodeImagePart(
  image: ImagePart,
  field: string,
  warnings: TransformWarnings,
): JsonObject | undefined {
  const { source } = image;
  let url: string;
  if (source.kind === 'base64') url = toDataUrl(source.mediaType, source.data);
  else if (source.kind === 'url') url = source.url;
  else {
    warnings.add('unsupported', field, 'image file ids have no Chat Completions form');
    return undefined;
  }
  const imageUrl: JsonObject = { url };
  if (image.detail !== undefined) imageUrl['detail'] = image.detail;
  return { type: 'image_url', image_url: imageUrl };
}

const EXTENSION_BY_MEDIA: Record<string, string> = Object.fromEntries(
  Object.entries(MEDIA_BY_EXTENSION).map(([extension, mediaType]) => [mediaType, extension]),
);

export function encodeDocumentPart(
  document: DocumentPart,
  field: string,
  warnings: TransformWarnings,
): JsonObject | undefined {
  const { source } = document;
  const file: JsonObject = {};
  if (source.kind === 'base64') {
    file['file_data'] = toDataUrl(source.mediaType, source.data);
    // OpenAI rejects inline file data without a filename.
    file['filename'] = document.filename ?? `document.${EXTENSION_BY_MEDIA[source.mediaType] ?? 'pdf'}`;
  } else if (source.kind === 'file-id') {
    file['file_id'] = source.fileId;
    if (document.filename !== undefined) file['filename'] = document.filename;
  } else {
    warnings.add('unsupported', field, 'Chat Completions file parts take no URLs');
    return undefined;
  }
  return { type: 'file', file };
}
