/**
 * The scheme of a connector URI.
 */

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** The scheme with its colon (`file:`, `nats:`), or undefined when the text has none. */
export function uriScheme(uri: string): string | undefined {
  const match = SCHEME.exec(uri);
  return match?.[1] === undefined ? undefined : `${match[1].toLowerCase()}:`;
}
