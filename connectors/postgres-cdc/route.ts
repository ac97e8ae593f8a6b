/**
 * Where the registry sends a `postgres://` input that asks for its changes (`?changes=true`);
 * other `postgres://` inputs (table snapshots) are left to the registry's own schemes.
 */
import type { Source } from '../../common/connector/source.ts';
import { CdcSource } from './cdc-source.ts';
import { isChangeStreamUri, parseCdcUri } from './cdc-uri.ts';

/** The change-stream source of input `inputName` when `uri` asks for one, else undefined. Throws for a bad URI. */
export function changeStreamSourceFromUri(inputName: string, uri: string): Source<Record<string, unknown>> | undefined {
  if (!isChangeStreamUri(uri)) return undefined;
  return new CdcSource(parseCdcUri(inputName, uri));
}
