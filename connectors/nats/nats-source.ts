/**
 * The source of a `nats://host:port/STREAM/SUBJECT` input: a JetStream stream, one split per
 * stream or per subject of a `SUBJECT.*` partitioned stream.
 */
import type { JetStreamManager, StreamInfo } from '@nats-io/jetstream';
import type { Source, SourceReaderContext } from '../../common/connector/source.ts';
import type { RecordValidator } from '../file/file-source-options.ts';
import { connectNats, openStream, reasonOf } from './nats-connection.ts';
import { natsSourceParams, type NatsSourceParams } from './nats-source-options.ts';
import { NatsSourceReader } from './nats-source-reader.ts';
import type { NatsSplit } from './nats-split.ts';
import { displayUri, type NatsAddress } from './nats-uri.ts';

/** Options of a NATS input that its URI does not tell. */
export interface NatsSourceOptions {
  /** The job's name for this input, to name it in errors and malformed records. */
  readonly inputName?: string;
  /** Checks each decoded record; a returned message sends the message to `malformed`. */
  readonly validate?: RecordValidator;
}

/**
 * Reads a JetStream stream with ordered consumers that acknowledge nothing: the position of each
 * split is its next stream sequence, kept in checkpoints, so the server's copy is never consumed
 * and a restore re-reads exactly from the checkpoint. Bounded with `?bounded=true`.
 */
export class NatsSource implements Source<Record<string, unknown>> {
  readonly kind = 'nats';
  readonly bounded: boolean;
  /** Every record carries its message's stream time. */
  readonly timestamped = true;
  private readonly params: NatsSourceParams;

  /** Throws naming the parameter when the URI's parameters are invalid. */
  constructor(
    readonly address: NatsAddress,
    private readonly options: NatsSourceOptions = {},
  ) {
    this.params = natsSourceParams(address);
    this.bounded = this.params.bounded;
  }

  /**
   * Connects once to list the splits and resolve where each starts (and, bounded, ends). A
   * subject ending in `.*` gives one split per subject the stream holds (sorted); when it holds
   * none yet, one split reads the whole filter.
   */
  async enumerateSplits(): Promise<NatsSplit[]> {
    const { address } = this;
    const partitioned = address.subject?.endsWith('.*') === true && !address.subject.slice(0, -2).includes('*');
    try {
      const connection = await connectNats(address, `source ${this.options.inputName ?? ''}`.trim());
      try {
        const { manager, info } = await openStream(connection, address, partitioned ? address.subject : undefined);
        const subjects = partitioned ? Object.keys(info.state.subjects ?? {}).sort() : [];
        const filters: (string | undefined)[] = subjects.length > 0 ? subjects : [address.subject];
        const splits: NatsSplit[] = [];
        for (const subject of filters) splits.push(await this.splitOf(subject, info, (s) => lastSeqOf(manager, address.stream, s)));
        return splits;
      } finally {
        await connection.close().catch(() => undefined);
      }
    } catch (error) {
      throw new Error(`${this.what()}: ${reasonOf(error)}`, { cause: error });
    }
  }

  createReader(context: SourceReaderContext): NatsSourceReader {
    return new NatsSourceReader(this.address, this.params, { inputName: this.options.inputName ?? context.inputName, validate: this.options.validate });
  }

  /** The split of one subject filter with its start resolved to a sequence (or a time). */
  private async splitOf(subject: string | undefined, info: StreamInfo, lastSeq: (subject: string) => Promise<number | undefined>): Promise<NatsSplit> {
    const { stream } = this.address;
    const base = { id: subject === undefined ? stream : `${stream}/${subject}`, stream, ...(subject === undefined ? {} : { subject }) };
    const end = this.params.bounded ? { endSeq: info.state.last_seq } : {};
    const start = this.params.start;
    switch (start.kind) {
      case 'first':
        return { ...base, nextSeq: 1, ...end };
      case 'seq':
        return { ...base, nextSeq: start.seq, ...end };
      case 'time':
        return { ...base, startTime: start.time, ...end };
      case 'last': {
        const last = subject === undefined || subject.includes('*') || subject.includes('>') ? info.state.last_seq || undefined : await lastSeq(subject);
        return { ...base, nextSeq: last ?? info.state.last_seq + 1, ...end };
      }
    }
  }

  private what(): string {
    const uri = displayUri(this.address);
    return this.options.inputName === undefined ? `NATS source (${uri})` : `input "${this.options.inputName}" (${uri})`;
  }
}

/** The sequence of the last message on `subject`, or undefined when it has none. */
async function lastSeqOf(manager: JetStreamManager, stream: string, subject: string): Promise<number | undefined> {
  const message = await manager.streams.getMessage(stream, { last_by_subj: subject });
  return message?.seq;
}
