/** Control characters (C0, DEL, C1): never part of a name worth showing, and NUL cannot be stored. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const MAX_NAME_LENGTH = 255;
/** Half a surrogate pair: not valid UTF-8, so PostgreSQL cannot store it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The uploader's file name as a display name: control characters dropped, lone surrogates made
 * well-formed, trimmed, at most 255 characters (keeping the extension when it has to cut). Path
 * separators and names such as `../../etc/passwd` or `con.wav` are kept as they are: this name is
 * only ever shown and sent back in Content-Disposition, never used as a path (blobs live under
 * server-chosen keys).
 */
export function displayName(fileName: string): string {
  const clean = fileName.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, '').trim();
  if (!clean) return 'file';
  const chars = Array.from(clean);
  if (chars.length <= MAX_NAME_LENGTH) return clean;
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 && clean.length - dot <= 16 ? Array.from(clean.slice(dot)) : [];
  return chars.slice(0, MAX_NAME_LENGTH - extension.length).join('') + extension.join('');
}
