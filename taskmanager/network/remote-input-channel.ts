/**
 * An input channel whose producer runs in another TaskManager, over a gRPC stream with credits.
 * The channel counts the credit it has granted and not yet used: a producer that sends beyond it,
 * or sends a message that does not decode, fails the channel (naming the producer and its
 * address) and the stream is cancelled, so the channel never holds more than it granted.
 */
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
  /** Messages the producer may still send: credit granted and not yet used. */
  private credit = 0;

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
    call.on('data', (wire: WireMessage) => this.receive(wire));
    call.on('error', (error: unknown) => {
      if (!this.closed) this.fail(errorMessage(error));
    });
    call.on('end', () => {
      if (!this.closed && !this.endReceived) this.fail('the producer closed the stream before end of input');
    });
    this.credit = this.initialCredit;
    call.write({
      jobId: this.target.jobId,
      producerExecutionId: this.target.producerExecutionId,
      edgeId: this.target.edgeId,
      subpartition: this.target.subpartition,
      credit: this.initialCredit,
    });
  }

  protected grantCredit(n: number): void {
    if (this.closed) return;
    this.credit += n;
    this.call?.write({ credit: n });
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

  /** Takes one message off the stream; never throws, whatever the peer sent. */
  private receive(wire: WireMessage): void {
    if (this.closed) return;
    if (this.endReceived) return this.refuse('the producer sent a message after end of input');
    if (this.credit === 0) return this.refuse(`the producer sent a message without credit (this channel grants ${this.initialCredit} messages in flight)`);
    let message;
    try {
      message = fromWire(wire);
    } catch (error) {
      return this.refuse(`malformed message: ${errorMessage(error)}`);
    }
    this.credit--;
    this.send(message);
  }

  /** Fails the channel for a protocol violation of the producer and drops its stream. */
  private refuse(reason: string): void {
    this.fail(reason);
    this.close();
  }
}
