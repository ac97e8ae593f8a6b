/**
 * Clear, one-line errors of a change stream: they name the server (never the password) and the
 * argument at fault.
 */
import { errorMessage } from '../../common/errors.ts';
import { describeServer, type CdcUri } from './cdc-uri.ts';

/** An error of PostgreSQL or of the connection, as `pg` throws it. */
interface PgError {
  readonly code?: string;
  readonly message?: string;
}

/** Error codes of a server that cannot be reached. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/** `while` (what failed) on the server of `uri`, with the cause said plainly. */
export function cdcError(while_: string, uri: CdcUri, error: unknown): Error {
  const { code } = (error ?? {}) as PgError;
  const server = describeServer(uri);
  let cause: string;
  if (code === '28P01' || code === '28000') cause = `authentication failed for user "${uri.user}" (check the password in the URI or its SLUICE_<INPUT>_PASSWORD variable)`;
  else if (code === '3D000') cause = `database "${uri.database}" does not exist`;
  else if (code !== undefined && UNREACHABLE.has(code)) cause = `cannot reach ${uri.host}:${uri.port} (${code})`;
  else if (/timeout expired|Connection terminated due to connection timeout/.test(errorMessage(error))) cause = `cannot reach ${uri.host}:${uri.port} (no answer within 10 s)`;
  else if (code === '55000' && /wal_level/.test(errorMessage(error))) cause = 'logical decoding needs wal_level = logical on the server';
  else cause = errorMessage(error).replace(uri.password ?? '\u0000', '***');
  return new Error(`postgres change stream ${server} table "${uri.table}": ${while_}: ${cause}`, { cause: error });
}
