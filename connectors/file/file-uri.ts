/**
 * The path inside a `file:` URI.
 */

/**
 * Returns the path of `file:PATH`, `file:///abs/path` or `file://localhost/abs/path`. The path is
 * taken literally (no percent-decoding, `?` and `#` kept) because it may be a glob. Throws on an
 * empty path or a remote host.
 */
export function pathOfFileUri(uri: string): string {
  if (!uri.startsWith('file:')) throw new Error(`"${uri}" is not a file: URI`);
  let path = uri.slice('file:'.length);
  if (path.startsWith('//')) {
    const slash = path.indexOf('/', 2);
    const host = slash < 0 ? path.slice(2) : path.slice(2, slash);
    if (host !== '' && host !== 'localhost') throw new Error(`"${uri}" names host "${host}"; only local files are supported`);
    path = slash < 0 ? '' : path.slice(slash);
  }
  if (path === '') throw new Error(`"${uri}" has an empty path`);
  return path;
}
