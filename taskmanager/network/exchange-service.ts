/**
 * The producer side of the data plane: serves `DataExchange.Subscribe`. The first consumer message
 * names the subpartition; later ones grant credit. Each batch is encoded once, when it is sent.
 *
 * A subscription is served only to the TaskManager the JobManager deployed the subpartition's
 * consumer to, as its client certificate proves (PERMISSION_DENIED otherwise), and only once per
 * subpartition (ALREADY_EXISTS). Subscriptions that wait for a partition not yet produced here are
 * bounded and time out (see `PartitionManager.subscribe`). Every refusal ends the one stream with
 * a status that names the subpartition and the reason; nothing a consumer sends throws here.
 */
import * as grpc from '@grpc/grpc-js';
import { createRecordCodec } from '../../common/codec.ts';
import { errorMessage, invalidArgument, notFound, permissionDenied, SluiceError } from '../../common/errors.ts';
import type { Logger } from '../../common/logging.ts';
import { callerOf, speaksFor, type Caller, type CallerResolver } from '../../common/rpc/grpc-security.ts';
import type { ChannelMessageInput as WireMessage, ConsumerMessage } from '../../common/rpc/index.ts';
import { describeIdentity } from '../../common/security/cluster-identity.ts';
import type { DataExchangeHandlers } from '../../proto/generated/sluice/data/DataExchange.ts';
import type { ChannelMessage, SubpartitionReader } from './channel-message.ts';
import { partitionKey, type PartitionManager } from './partition-manager.ts';
import type { ResultPartition, Subpartition } from './result-partition.ts';
import { toWire } from './wire-message.ts';

/** The server side of one Subscribe stream. */
type SubscribeCall = grpc.ServerDuplexStream<ConsumerMessage, WireMessage>;

/** Builds the gRPC handlers of the data plane over a partition manager; `callers` tells who subscribes. */
export function createExchangeHandlers(partitions: PartitionManager, callers: CallerResolver, log: Logger): DataExchangeHandlers {
  return {
    Subscribe(call: SubscribeCall): void {
      new Subscription(call, partitions, callerOf(callers, call), log).start();
    },
  };
}

/** One consumer's stream: its subscription, the credit it grants, and its end. */
class Subscription {
  private subpartition: Subpartition | undefined;
  private pendingCredit = 0;
  private requested = false;
  private done = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly call: SubscribeCall,
    private readonly partitions: PartitionManager,
    private readonly caller: Caller,
    private readonly log: Logger,
  ) {}

  start(): void {
    const call = this.call;
    call.on('data', (message: ConsumerMessage) => this.onMessage(message));
    call.on('end', () => {
      this.finish();
      call.end();
    });
    call.on('cancelled', () => this.finish());
    call.on('error', () => this.finish());
  }

  private onMessage(message: ConsumerMessage): void {
    if (this.done) return;
    if (this.subpartition) return this.subpartition.addCredit(message.credit);
    this.pendingCredit += message.credit;
    if (this.requested) return;
    this.requested = true;
    const { jobId, producerExecutionId, edgeId, subpartition: index } = message;
    if (!jobId || !producerExecutionId || !edgeId) return this.refuse(invalidArgument('a subscription names a job, a producing execution and an edge'));
    const key = partitionKey(jobId, producerExecutionId, edgeId);
    this.partitions.subscribe(key, this.abort.signal).then(
      (partition) => this.serve(partition, index),
      (error: unknown) => this.refuse(error),
    );
  }

  private serve(partition: ResultPartition, index: number): void {
    if (this.done) return;
    const sub = partition.subpartitions[index];
    if (!sub) return this.refuse(notFound(`result partition ${partition.key} has no subpartition ${index}`));
    const consumer = sub.consumerTaskManager ?? '';
    if (!speaksFor(this.caller, consumer)) {
      const who = this.caller.kind === 'peer' ? describeIdentity(this.caller.identity) : 'a caller without a TaskManager certificate';
      const reader = consumer ? `is read by TaskManager ${consumer}` : 'has no known consumer';
      return this.refuse(permissionDenied(`subpartition ${index} of result partition ${partition.key} ${reader}, not by ${who}`));
    }
    try {
      sub.attach(new RemoteSubpartitionReader(this.call, partition));
    } catch (error) {
      return this.refuse(error);
    }
    this.subpartition = sub;
    sub.addCredit(this.pendingCredit);
  }

  /** Ends the stream with the error's status; the subscription is over. */
  private refuse(error: unknown): void {
    if (this.done) return;
    const code = error instanceof SluiceError ? error.code : grpc.status.UNKNOWN;
    const details = errorMessage(error);
    this.log.warn({ peer: this.call.getPeer(), code: grpc.status[code], err: details }, 'subscription refused');
    this.finish();
    this.call.emit('error', { code, details, message: details });
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.abort.abort();
    if (this.subpartition && !this.subpartition.done) this.subpartition.release();
  }
}

/** Sends the messages of one subpartition on a gRPC stream, encoding record batches. */
class RemoteSubpartitionReader implements SubpartitionReader {
  private readonly codec = createRecordCodec();

  constructor(
    private readonly call: SubscribeCall,
    private readonly partition: ResultPartition,
  ) {}

  /**
   * Encodes and writes a message. Sends run from timers and gRPC listeners as well as from the
   * task, so a batch that cannot be encoded (a record with a symbol, an over-large BigInt) fails
   * this stream with the reason instead of throwing there.
   */
  send(message: ChannelMessage): void {
    let wire: WireMessage;
    try {
      wire = toWire(message, this.codec);
    } catch (error) {
      this.fail(`the producer cannot encode a batch for this channel: ${errorMessage(error)}`);
      return;
    }
    if (message.type === 'records') {
      const size = (wire.records as Uint8Array).length;
      this.partition.bytesOut += size;
      this.partition.observeEncoded(message.records.length, size);
    }
    this.call.write(wire);
  }

  fail(reason: string): void {
    this.call.emit('error', { code: grpc.status.ABORTED, details: reason, message: reason });
  }
}
