/** SHA-256 digests through WebCrypto, for storing and looking up keys without keeping them. */

const encoder = new TextEncoder();

export async function sha256Hex(text: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  let hex = '';
  for (const byte of hash) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** A short, non-secret hint of a key for display: its first 10 characters and an ellipsis. */
export function keyHint(key: string): string {
  return `${key.slice(0, 10)}…`;
}
