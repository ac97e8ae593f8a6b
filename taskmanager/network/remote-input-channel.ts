/** An input channel whose producer runs in another TaskManager, over a gRPC stream with credits. */
import type * as grpc from '@grpc/grpc-js';
import type { ChannelMessage as WireMessage, ConsumerMessageInput } from '../../common/rpc/index.ts';
import { errorMessage } from '../../common/errors.ts';
import type { DataClientPool } from './data-client-pool.ts';
import { InputChannel, type ChannelListener } from './input-channel.ts';
import { fromWire } from './wire-message.ts';

/** Where a remote channel subscribes. */
export interface RemoteChannelTarget {
  address: string;
  jobId: string;
  producerExecutionId: string;
  edgeId: string;
  subpartition: number;
}

/** Reads a subpartition of a result partition in another TaskManager. */
export class RemoteInputChannel extends InputChannel {
  private call: grpc.ClientDuplexStream<ConsumerMessageInput, WireMessage> | undefined;
  private closed = false;

  constructor(
    index: number,
    inputIndex: number,
    listener: ChannelListener,
    initialCredit: number,
    private readonly pool: DataClientPool,
    private readonly target: RemoteChannelTarget,
  ) {
    super(index, inputIndex, `channel from ${target.producerExecutionId} at ${target.address}`, listener, initialCredit);
  }

  start(): void {
    const call = this.pool.get(this.target.address).Subscribe();
    this.call = call;
    call.on('data', (wire: WireMessage) => {
      this.send(fromWire(wire));
    });
    call.on('error', (error: unknown) => {
      if (!this.closed) this.fail(errorMessage(error));
    });
    call.on('end', () => {
      if (!this.closed && !this.endReceived) this.fail('the producer closed the stream before end of input');
    });
    call.write({
      jobId: this.target.jobId,
      producerExecutionId: this.target.producerExecutionId,
      edgeId: this.target.edgeId,
      subpartition: this.target.subpartition,
      credit: this.initialCredit,
    });
  }

  protected grantCredit(n: number): void {
    if (!this.closed) this.call?.write({ credit: n });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const call = this.call;
    this.call = undefined;
    if (!call) return;
    if (this.finished) call.end();
    else call.cancel();
  }
}
