/**
 * The producer side of the data plane: serves `DataExchange.Subscribe`. The first consumer message
 * names the subpartition; later ones grant credit. Each batch is encoded once, when it is sent.
 */
import type * as grpc from '@grpc/grpc-js';
import { createRecordCodec } from '../../common/codec.ts';
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logging.ts';
import type { ChannelMessageInput as WireMessage, ConsumerMessage } from '../../common/rpc/index.ts';
import type { DataExchangeHandlers } from '../../proto/generated/sluice/data/DataExchange.ts';
import type { ChannelMessage, SubpartitionReader } from './channel-message.ts';
import { partitionKey, type PartitionManager } from './partition-manager.ts';
import type { ResultPartition, Subpartition } from './result-partition.ts';
import { toWire } from './wire-message.ts';

/** Builds the gRPC handlers of the data plane over a partition manager. */
export function createExchangeHandlers(partitions: PartitionManager, log: Logger): DataExchangeHandlers {
  return {
    Subscribe(call: grpc.ServerDuplexStream<ConsumerMessage, WireMessage>): void {
      let subpartition: Subpartition | undefined;
      let pendingCredit = 0;
      let done = false;
      const abort = new AbortController();
      const finish = (): void => {
        if (done) return;
        done = true;
        abort.abort();
        if (subpartition && !subpartition.done) subpartition.release();
      };
      let subscribed = false;
      call.on('data', (message: ConsumerMessage) => {
        if (subpartition) return subpartition.addCredit(message.credit);
        pendingCredit += message.credit;
        if (subscribed) return;
        subscribed = true;
        const key = partitionKey(message.jobId, message.producerExecutionId, message.edgeId);
        partitions.lookup(key, abort.signal).then(
          (partition) => {
            if (done) return;
            const sub = partition.subpartitions[message.subpartition];
            if (!sub) {
              call.destroy(new Error(`partition ${key} has no subpartition ${message.subpartition}`));
              return;
            }
            subpartition = sub;
            sub.attach(new RemoteSubpartitionReader(call, partition));
            sub.addCredit(pendingCredit);
          },
          (error: unknown) => {
            if (done) return;
            log.warn({ key, err: errorMessage(error) }, 'subscription failed');
            call.destroy(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
      call.on('end', () => {
        finish();
        call.end();
      });
      call.on('cancelled', finish);
      call.on('error', finish);
    },
  };
}

/** Sends the messages of one subpartition on a gRPC stream, encoding record batches. */
class RemoteSubpartitionReader implements SubpartitionReader {
  private readonly codec = createRecordCodec();

  constructor(
    private readonly call: grpc.ServerDuplexStream<ConsumerMessage, WireMessage>,
    private readonly partition: ResultPartition,
  ) {}

  send(message: ChannelMessage): void {
    const wire = toWire(message, this.codec);
    if (message.type === 'records') {
      const size = (wire.records as Uint8Array).length;
      this.partition.bytesOut += size;
      this.partition.observeEncoded(message.records.length, size);
    }
    this.call.write(wire);
  }

  fail(reason: string): void {
    this.call.destroy(new Error(reason));
  }
}
