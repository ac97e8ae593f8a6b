/**
 * Log sequence numbers, `X/Y` in hexadecimal as PostgreSQL writes them.
 */

/** The LSN as a number, for comparisons. Throws for text that is not an LSN. */
export function lsnValue(lsn: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (match === null) throw new Error(`"${lsn}" is not an LSN (X/Y in hexadecimal)`);
  return (BigInt(`0x${match[1] as string}`) << 32n) | BigInt(`0x${match[2] as string}`);
}

/** The LSN in PostgreSQL's own form (`16/B374D848`), whatever the padding of `lsn`. */
export function normalLsn(lsn: string): string {
  const value = lsnValue(lsn);
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}
