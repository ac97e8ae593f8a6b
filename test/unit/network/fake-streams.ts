/**
 * Fake gRPC streams of `DataExchange.Subscribe`, so that the exchange service and the remote input
 * channel run without sockets: a server call with a chosen peer certificate, a client call the
 * test feeds producer messages into, and the real protobuf encoding of the data plane between.
 */
import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import type { ChannelMessage as WireMessage, ChannelMessageInput, ConsumerMessage, ConsumerMessageInput } from '../../../common/rpc/index.ts';
import { CallerResolver } from '../../../common/rpc/grpc-security.ts';
import { dataProto } from '../../../common/rpc/proto.ts';
import type { DataClientPool } from '../../../taskmanager/network/data-client-pool.ts';

const subscribe = dataProto.sluice.data.DataExchange.service.Subscribe;

/** A producer message as the consumer's gRPC client delivers it: through the real serializer. */
export function overTheWire(message: ChannelMessageInput): WireMessage {
  return subscribe.responseDeserialize(subscribe.responseSerialize(message as never)) as WireMessage;
}

/** A consumer message as the producer's gRPC server delivers it: through the real serializer. */
function consumerOverTheWire(message: ConsumerMessageInput): ConsumerMessage {
  return subscribe.requestDeserialize(subscribe.requestSerialize(message as never)) as ConsumerMessage;
}

/** Resolves callers as a TLS server does, from the peer certificate of a call's auth context. */
export const TLS_CALLERS = new CallerResolver({ mode: 'tls', ca: Buffer.alloc(0), identity: undefined, token: undefined });
/** Resolves every caller as insecure (`--insecure`). */
export const INSECURE_CALLERS = new CallerResolver({ mode: 'insecure' });

/** The status a server call ended with. */
export interface EndStatus {
  readonly code: grpc.status;
  readonly details: string;
}

/** The producer side of one Subscribe stream, as the exchange service sees it. */
export class FakeServerCall extends EventEmitter {
  readonly written: WireMessage[] = [];
  readonly metadata = new grpc.Metadata();
  status: EndStatus | undefined;
  ended = false;

  /** `taskManager`: the id the caller's certificate names, or undefined for none. */
  constructor(private readonly taskManager: string | undefined) {
    super();
    this.on('error', (error: EndStatus) => {
      this.status ??= { code: error.code, details: error.details };
    });
  }

  getAuthContext(): { sslPeerCertificate?: { subjectaltname: string } } {
    return this.taskManager === undefined ? {} : { sslPeerCertificate: { subjectaltname: `URI:sluice://taskmanager/${this.taskManager}` } };
  }

  getPeer(): string {
    return `ipv4:127.0.0.1:40000 (${this.taskManager ?? 'anonymous'})`;
  }

  write(message: ChannelMessageInput): boolean {
    this.written.push(overTheWire(message));
    return true;
  }

  end(): void {
    this.ended = true;
  }

  /** The consumer sends a message (the subscription, or credit). */
  receive(message: ConsumerMessageInput): void {
    this.emit('data', consumerOverTheWire(message));
  }

  /** As grpc-js's type for the handler. */
  get asCall(): grpc.ServerDuplexStream<ConsumerMessage, ChannelMessageInput> {
    return this as unknown as grpc.ServerDuplexStream<ConsumerMessage, ChannelMessageInput>;
  }
}

/** The consumer side of one Subscribe stream, as a remote input channel sees it. */
export class FakeClientCall extends EventEmitter {
  readonly sent: ConsumerMessage[] = [];
  cancelled = false;
  ended = false;

  write(message: ConsumerMessageInput): boolean {
    this.sent.push(consumerOverTheWire(message));
    return true;
  }

  cancel(): void {
    this.cancelled = true;
  }

  end(): void {
    this.ended = true;
  }

  /** Credit the consumer granted so far: the first message's and every later grant. */
  get granted(): number {
    return this.sent.reduce((sum, m) => sum + m.credit, 0);
  }

  /** The producer sends a message. */
  deliver(message: ChannelMessageInput): void {
    this.emit('data', overTheWire(message));
  }
}

/** A data client pool whose every Subscribe is `call`; `addresses` records whom it was asked for. */
export function fakePool(call: FakeClientCall, addresses: string[] = []): DataClientPool {
  return {
    get(address: string) {
      addresses.push(address);
      return { Subscribe: () => call };
    },
  } as unknown as DataClientPool;
}
