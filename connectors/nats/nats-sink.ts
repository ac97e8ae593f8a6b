/**
 * The sink of a `nats://host:port/STREAM/SUBJECT` output: JSON messages published to a
 * JetStream stream when the checkpoint that covers them completes.
 */
import type { Sink, SinkContext } from '../../common/connector/sink.ts';
import { NatsSinkWriter } from './nats-sink-writer.ts';
import type { NatsAddress } from './nats-uri.ts';

/** The parameter names a `nats://` output accepts. */
export const NATS_SINK_PARAMETERS = ['headers'] as const;

/**
 * Publishes each record as one JSON message on the URI's subject (which must not hold wildcards),
 * exactly once with checkpoints (see `NatsSinkWriter`). `?headers=FIELD` sends that record field
 * as the message headers.
 */
export class NatsSink implements Sink<unknown> {
  readonly kind = 'nats';
  private readonly headersField: string | undefined;

  /** Throws naming the problem when the URI has no subject to publish to or an invalid parameter. */
  constructor(readonly address: NatsAddress) {
    const subject = address.subject;
    if (subject === undefined) throw new Error(`nats://${address.server}/${address.stream} names no subject to publish to (nats://host:port/STREAM/SUBJECT)`);
    if (subject.includes('*') || subject.includes('>')) throw new Error(`cannot publish to the wildcard subject "${subject}"`);
    const headersField = address.params.get('headers');
    if (headersField === '') throw new Error('?headers= must name a record field');
    this.headersField = headersField;
  }

  createWriter(context: SinkContext): NatsSinkWriter {
    return new NatsSinkWriter(this.address, this.headersField, context);
  }
}
