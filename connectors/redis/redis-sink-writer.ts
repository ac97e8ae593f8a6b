/**
 * The writer of one Redis sink subtask: writes staged per checkpoint, applied when it completes.
 */
import type { SinkContext, TwoPhaseCommitSinkWriter } from '../../common/connector/sink.ts';
import { RedisCommandEncoder, type RedisKeySelector } from './redis-command-encoder.ts';
import { acquireRedis, lostConnection, releaseRedis, type RedisConnection } from './redis-connections.ts';
import { redisError } from './redis-errors.ts';
import { writePipelined } from './redis-pipeline.ts';
import type { RedisUri } from './redis-uri.ts';

/** The writes a subtask staged up to one checkpoint, applied once it completes. JSON-serializable. */
export interface RedisTransaction {
  readonly checkpointId: number;
  /** Each command's arguments, name first, in the order they are applied. */
  readonly commands: readonly (readonly string[])[];
}

/**
 * Stages each record's write in memory, keeping only the last write of each key (and hash field
 * or sorted-set member). Without checkpointing, `flush` writes what is staged in pipelines. With
 * checkpointing, `preCommit` takes the staged writes as the checkpoint's transaction, which the
 * checkpoint stores, and `commit` writes them once it completes; `recover` writes the restored
 * transactions again. Every write sets a value by key, so writing a transaction twice gives the
 * same keys, and a replay from a checkpoint rewrites the same values: the keys are exactly once.
 *
 * Staging is bounded by `?maxStagedBytes=` (default 64 MiB of keys and values): past it `write`
 * throws an Error naming the parameter, which fails the task. A lost connection, a wrong password
 * or an unreachable host fail the task with one line naming the output (`redisError`).
 */
export class RedisSinkWriter implements TwoPhaseCommitSinkWriter<unknown, RedisTransaction> {
  private connection: RedisConnection | undefined;
  private readonly encoder: RedisCommandEncoder;
  private staged = new Map<string, readonly string[]>();
  private stagedBytes = 0;

  constructor(
    private readonly uri: RedisUri,
    private readonly context: SinkContext,
    private readonly argument: string | undefined,
    keyOf?: RedisKeySelector,
  ) {
    this.encoder = new RedisCommandEncoder(uri, keyOf);
  }

  async open(): Promise<void> {
    try {
      this.connection = await acquireRedis(this.uri);
    } catch (error) {
      throw redisError('cannot connect', this.uri, this.argument, error);
    }
  }

  write(record: unknown): void {
    let writes;
    try {
      writes = this.encoder.encode(record);
    } catch (error) {
      throw redisError('cannot encode a record', this.uri, this.argument, error);
    }
    for (const { identity, args } of writes) {
      const previous = this.staged.get(identity);
      if (previous !== undefined) this.stagedBytes -= sizeOf(previous);
      this.staged.set(identity, args);
      this.stagedBytes += sizeOf(args);
    }
    if (this.stagedBytes > this.uri.maxStagedBytes) {
      const error = new Error(`more than ${this.uri.maxStagedBytes} bytes of writes staged since the last checkpoint (?maxStagedBytes=); take checkpoints more often or raise it`);
      throw redisError('staging is full', this.uri, this.argument, error);
    }
  }

  async flush(): Promise<void> {
    if (!this.context.checkpointing) await this.apply(this.take(), 'cannot write');
  }

  async preCommit(checkpointId: number): Promise<RedisTransaction[]> {
    const commands = this.take();
    return commands.length === 0 ? [] : [{ checkpointId, commands }];
  }

  async commit(transactions: readonly RedisTransaction[]): Promise<void> {
    for (const transaction of transactions) await this.apply(transaction.commands, `cannot write the commands of checkpoint ${transaction.checkpointId}`);
  }

  async recover(toCommit: readonly RedisTransaction[]): Promise<void> {
    await this.commit(toCommit);
  }

  async finish(): Promise<void> {
    await this.flush();
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined) await releaseRedis(this.uri, connection);
  }

  /** Empties the staging area and returns its commands in the order they were first staged. */
  private take(): (readonly string[])[] {
    const commands = [...this.staged.values()];
    this.staged = new Map();
    this.stagedBytes = 0;
    return commands;
  }

  private async apply(commands: readonly (readonly string[])[], what: string): Promise<void> {
    if (commands.length === 0) return;
    const connection = this.connection!;
    try {
      await writePipelined(connection.client, commands);
    } catch (error) {
      throw redisError(what, this.uri, this.argument, lostConnection(connection) ?? error);
    }
  }
}

/** Roughly the bytes a staged command holds: its arguments' lengths. */
function sizeOf(args: readonly string[]): number {
  let size = 0;
  for (const arg of args) size += arg.length;
  return size;
}
