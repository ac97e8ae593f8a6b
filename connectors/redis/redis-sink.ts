/**
 * The sink of a `redis://host:port/prefix` output: `SET`, `HSET` or `ZADD` per record, exactly once
 * by key with checkpoints.
 */
import type { Sink, SinkContext } from '../../common/connector/sink.ts';
import { RedisCommandEncoder, type RedisKeySelector } from './redis-command-encoder.ts';
import { RedisSinkWriter } from './redis-sink-writer.ts';
import type { RedisUri } from './redis-uri.ts';

/** Options of a Redis sink that its URI does not tell. */
export interface RedisSinkOptions {
  /** The key of each record (after the prefix); wins over `?key=`. */
  readonly key?: RedisKeySelector;
  /** The argument's name (`output "out"`), for errors. */
  readonly argument?: string;
}

/**
 * Writes records to Redis as its URI says (see `RedisCommandEncoder` for the commands and
 * `RedisSinkWriter` for when they are written). Checks the URI's parameters at construction, so
 * that a job with a wrong one fails when it is built.
 */
export class RedisSink implements Sink<unknown> {
  readonly kind = 'redis';

  constructor(
    readonly uri: RedisUri,
    private readonly options: RedisSinkOptions = {},
  ) {
    new RedisCommandEncoder(uri, options.key);
  }

  createWriter(context: SinkContext): RedisSinkWriter {
    return new RedisSinkWriter(this.uri, context, this.options.argument, this.options.key);
  }
}
