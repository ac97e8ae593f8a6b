import { describe, expect, it } from 'vitest';
import type { FetchedMessage, FetchedPartition } from '../../../connectors/kafka/kafka-cluster.ts';
import { fetchedBatchOf } from '../../../connectors/kafka/kafka-fetch.ts';

/** A record of producer `producerId`, in a transaction or not. */
function record(offset: number, value: string, producerId = '-1', inTransaction = false): FetchedMessage {
  return { offset: String(offset), timestamp: '0', key: null, value: Buffer.from(value), batchContext: { producerId, inTransaction } };
}

/** A transaction marker: key [0, 0, 0, 0] aborts, [0, 0, 0, 1] commits. */
function marker(offset: number, producerId: string, commit: boolean): FetchedMessage {
  return { offset: String(offset), timestamp: '0', key: Buffer.from([0, 0, 0, commit ? 1 : 0]), value: Buffer.alloc(0), isControlRecord: true, batchContext: { producerId, inTransaction: true } };
}

function response(messages: FetchedMessage[], abortedTransactions: FetchedPartition['abortedTransactions'] = []): FetchedPartition {
  return { partition: 0, errorCode: 0, highWatermark: '100', lastStableOffset: '100', abortedTransactions, messages };
}

const values = (batch: ReturnType<typeof fetchedBatchOf>): string[] => batch?.messages.map((m) => m.value?.toString() ?? '') ?? [];

describe('fetchedBatchOf (read committed)', () => {
  it('leaves out records of aborted transactions and markers, keeping committed ones', () => {
    const batch = fetchedBatchOf(
      response(
        [record(0, 'plain'), record(1, 'aborted-a', '7', true), record(2, 'committed-a', '8', true), record(3, 'aborted-b', '7', true), marker(4, '7', false), marker(5, '8', true), record(6, 'after', '7', true)],
        [{ producerId: '7', firstOffset: '1' }],
      ),
      0,
    );
    expect(values(batch)).toEqual(['plain', 'committed-a', 'after']);
    expect(batch?.next).toBe(7);
  });

  it('moves past a response of control records only, and drops records before the fetch offset', () => {
    const markers = fetchedBatchOf(response([marker(10, '8', true), marker(11, '9', true)]), 10);
    expect(markers).toEqual({ messages: [], next: 12 });
    expect(values(fetchedBatchOf(response([record(3, 'old'), record(4, 'old'), record(5, 'new')]), 5))).toEqual(['new']);
    expect(fetchedBatchOf(response([record(3, 'old')]), 5)).toBeUndefined();
    expect(fetchedBatchOf(response([]), 5)).toBeUndefined();
  });
});
