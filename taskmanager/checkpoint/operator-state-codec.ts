/**
 * Operator state between operators and the wire: an operator snapshots named lists of plain
 * values, the checkpoint carries each entry as bytes, and a restore hands the values back. Entries
 * are MessagePack in the dialect of keyed state values (state/state-value-codec.ts), so NaN,
 * Infinity, binary and the contents of Maps survive a checkpoint as they would in keyed state.
 */
import type { EncodedOperatorListState, OperatorStateMode } from '../../common/checkpoint/checkpoint-types.ts';
import type { OperatorListState__Output } from '../../proto/generated/sluice/checkpoint/OperatorListState.ts';
import type { OperatorStateMode__Output } from '../../proto/generated/sluice/checkpoint/OperatorStateMode.ts';
import type { OperatorStateSnapshot } from '../operators/stream-operator.ts';
import { packPlainValue, unpackPlainValue } from '../state/state-value-codec.ts';

const WIRE_MODES: Record<OperatorStateMode, OperatorStateMode__Output> = { split: 'SPLIT', union: 'UNION', broadcast: 'BROADCAST' };

/** Encodes every list of an operator's snapshot, entry by entry. */
export function encodeOperatorState(snapshot: OperatorStateSnapshot): Record<string, EncodedOperatorListState> {
  const encoded: Record<string, EncodedOperatorListState> = {};
  for (const [name, list] of Object.entries(snapshot)) {
    encoded[name] = { mode: WIRE_MODES[list.mode], entries: list.entries.map(encodeEntry) };
  }
  return encoded;
}

function encodeEntry(value: unknown): Buffer {
  const bytes = packPlainValue(value);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes the lists of an operator's restore into the values its operator snapshotted. Throws an
 * error naming the operator and the list when an entry is not valid MessagePack.
 */
export function decodeOperatorState(operatorId: string, lists: Readonly<Record<string, OperatorListState__Output>>): Record<string, unknown[]> {
  const decoded: Record<string, unknown[]> = {};
  for (const [name, list] of Object.entries(lists)) {
    decoded[name] = list.entries.map((bytes, i) => {
      try {
        return unpackPlainValue(bytes);
      } catch (error) {
        throw new Error(`operator ${operatorId}: entry ${i} of operator state ${JSON.stringify(name)} cannot be decoded: ${(error as Error).message}`, { cause: error });
      }
    });
  }
  return decoded;
}
