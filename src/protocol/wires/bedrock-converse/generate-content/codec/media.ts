/**
 * Images and documents between Converse blocks and canonical media. Converse takes the bytes
 * themselves (base64 in JSON) or an S3 location, never a web URL, and names formats rather than
 * media types: `{"image": {"format": "png", "source": {"bytes": "…"}}}`.
 */
import type { DocumentPart, ImagePart, MediaSource } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { objectAt, stringAt, type JsonObject } from '../../../../json-access';

const IMAGE_FORMATS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const DOCUMENT_FORMATS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

function mediaTypeOf(formats: Readonly<Record<string, string>>, format: string): string | undefined {
  for (const [mediaType, name] of Object.entries(formats)) if (name === format) return mediaType;
  return undefined;
}

/** `data:` URLs are inline bytes; any other source is left as it is. */
function inline(source: MediaSource): MediaSource {
  if (source.kind !== 'url') return source;
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (match?.[1] === undefined || match[2] === undefined) return source;
  return { kind: 'base64', mediaType: match[1], data: match[2] };
}

/** The `source` union: bytes, or an `s3://` object; web URLs and provider file ids have no place in it. */
function encodeSource(
  source: MediaSource,
  warnings: TransformWarnings,
  field: string,
): JsonObject | undefined {
  if (source.kind === 'base64') return { bytes: source.data };
  if (source.kind === 'url' && source.url.startsWith('s3://')) return { s3Location: { uri: source.url } };
  const what =
    source.kind === 'url' ? 'a web URL (Converse takes bytes or s3:// only)' : 'a provider file id';
  warnings.add('unsupported', field, what);
  return undefined;
}

/** The Converse format of a source: from its media type, else from an S3 object's file extension. */
function formatOf(source: MediaSource, formats: Readonly<Record<string, string>>): string | undefined {
  if (source.mediaType !== undefined) return formats[source.mediaType];
  if (source.kind !== 'url') return undefined;
  const extension = /\.([a-z0-9]+)$/i.exec(source.url)?.[1]?.toLowerCase();
  if (extension === undefined) return undefined;
  const format = extension === 'jpg' ? 'jpeg' : extension;
  return Object.values(formats).includes(format) ? format : undefined;
}

/** The block for a source Converse can take, or undefined after a warning. */
function mediaBlock(
  source: MediaSource,
  formats: Readonly<Record<string, string>>,
  kind: 'image' | 'document',
  warnings: TransformWarnings,
): { format: string; source: JsonObject } | undefined {
  const encoded = encodeSource(source, warnings, `${kind}.source`);
  if (encoded === undefined) return undefined;
  const format = formatOf(source, formats);
  if (format === undefined) {
    warnings.add('unsupported', kind, `${kind} type ${source.mediaType ?? '(unknown)'}`);
    return undefined;
  }
  return { format, source: encoded };
}

export function encodeImage(part: ImagePart, warnings: TransformWarnings): JsonObject | undefined {
  if (part.detail !== undefined) warnings.add('dropped', 'image.detail');
  const block = mediaBlock(inline(part.source), IMAGE_FORMATS, 'image', warnings);
  return block === undefined ? undefined : { image: block };
}

/** Converse document names allow letters, digits, single spaces, hyphens, parentheses and brackets. */
function documentName(filename: string | undefined, index: number): string {
  const stem = (filename ?? '').replace(/\.[A-Za-z0-9]+$/, '');
  const cleaned = stem
    .replace(/[^A-Za-z0-9\s\-()[\]]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' ? `document-${index + 1}` : cleaned;
}

export function encodeDocument(
  part: DocumentPart,
  index: number,
  warnings: TransformWarnings,
): JsonObject | undefined {
  const block = mediaBlock(inline(part.source), DOCUMENT_FORMATS, 'document', warnings);
  if (block === undefined) return undefined;
  const name = documentName(part.filename, index);
  // The extension goes (the format says it); anything else Converse refuses is replaced.
  if (part.filename !== undefined && name !== part.filename.replace(/\.[A-Za-z0-9]+$/, '')) {
    warnings.add('approximated', 'document.filename', `sent as the Converse name "${name}"`);
  }
  return { document: { format: block.format, name, source: block.source } };
}

function decodeSource(source: JsonObject | undefined, mediaType: string): MediaSource | undefined {
  const bytes = stringAt(source, 'bytes');
  if (bytes !== undefined) return { kind: 'base64', mediaType, data: bytes };
  const uri = stringAt(objectAt(source, 's3Location'), 'uri');
  return uri === undefined ? undefined : { kind: 'url', url: uri, mediaType };
}

export function decodeImage(block: JsonObject, path: string, warnings: TransformWarnings): ImagePart[] {
  const format = stringAt(block, 'format') ?? '';
  const source = decodeSource(
    objectAt(block, 'source'),
    mediaTypeOf(IMAGE_FORMATS, format) ?? `image/${format}`,
  );
  if (source === undefined) {
    warnings.add('unsupported', `${path}.source`, 'unknown image source');
    return [];
  }
  return [{ type: 'image', source }];
}

export function decodeDocument(block: JsonObject, path: string, warnings: TransformWarnings): DocumentPart[] {
  const format = stringAt(block, 'format') ?? '';
  const mediaType = mediaTypeOf(DOCUMENT_FORMATS, format) ?? 'application/octet-stream';
  const source = decodeSource(objectAt(block, 'source'), mediaType);
  if (source === undefined) {
    warnings.add('unsupported', `${path}.source`, 'unknown document source');
    return [];
  }
  const part: DocumentPart = { type: 'document', source };
  const name = stringAt(block, 'name');
  if (name !== undefined) part.filename = name;
  return [part];
}
