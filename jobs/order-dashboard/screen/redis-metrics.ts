/**
 * Reads the metrics from Redis, where the job's `redis://` outputs write each record into one hash
 * per output, `PREFIX:<output>`, with the record's window (`window_start`) or `as_of` as the hash
 * field and the record as JSON as the value (README, "The big screen"). Each read asks for the
 * fields of every hash, then for the recent windows and the latest cumulative records only.
 */
import { Redis } from 'ioredis';
import { log } from './screen-log.ts';
import { keyField, MetricTables, MINUTES_SHOWN, SCREEN_OUTPUTS, TEN_MINUTES_SHOWN, type MetricsReader, type ScreenOutput, type ScreenSnapshot } from './snapshot.ts';

/** Where the screen reads: `redis://[user[:password]@]host:port[/PREFIX][?db=N]`. */
export interface RedisLocation {
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  db: number;
  prefix: string;
  /** The URI without its password, for messages. */
  display: string;
}

/** Parses the `--redis` URI; throws naming the URI and what is wrong with it. */
export function parseRedisLocation(uri: string): RedisLocation {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error(`--redis "${uri}" is not a URI (expected redis://host:port/PREFIX)`);
  }
  if (url.protocol !== 'redis:') throw new Error(`--redis "${uri}" is not a redis:// URI`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.searchParams.get('db') ?? '0';
  const db = Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new Error(`--redis "${url.host}": db must be a non-negative integer, got "${dbText}"`);
  const prefix = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? process.env.SLUICE_SCREEN_REDIS_PASSWORD : decodeURIComponent(url.password);
  return { host: url.hostname, port, username, password, db, prefix, display: `redis://${url.host}/${prefix}${db === 0 ? '' : `?db=${db}`}` };
}

/** The hash of one output. */
export function outputKey(prefix: string, output: ScreenOutput): string {
  return prefix === '' ? output : `${prefix}:${output}`;
}

/** A reader of the job's hashes in one Redis database. */
export class RedisMetricsReader implements MetricsReader {
  readonly description: string;
  private readonly client: Redis;

  constructor(private readonly location: RedisLocation) {
    this.description = location.display;
    this.client = new Redis({
      host: location.host,
      port: location.port,
      username: location.username,
      password: location.password,
      db: location.db,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    this.client.on('error', (error: Error) => log.warn({ redis: location.display, error: error.message }, 'Redis connection error'));
  }

  async read(): Promise<ScreenSnapshot> {
    const keys = SCREEN_OUTPUTS.map((o) => outputKey(this.location.prefix, o));
    const fields = await this.exec(keys.map((k) => ['hkeys', k]), 'the fields of the output hashes');
    const wanted = SCREEN_OUTPUTS.map((output, i) => wantedFields(output, (fields[i] as string[] | undefined) ?? []));
    const values = await this.exec(
      wanted.map((f, i) => (f.length === 0 ? ['exists', keys[i] as string] : ['hmget', keys[i] as string, ...f])),
      'the records of the output hashes',
    );
    const tables = new MetricTables();
    SCREEN_OUTPUTS.forEach((output, i) => {
      const list = values[i];
      if (!Array.isArray(list)) return;
      for (const value of list) this.put(tables, output, value);
    });
    return tables.snapshot(this.description);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private put(tables: MetricTables, output: ScreenOutput, value: unknown): void {
    if (typeof value !== 'string') return;
    let record: unknown;
    try {
      record = JSON.parse(value);
    } catch {
      record = undefined;
    }
    if (!tables.put(output, record)) log.warn({ redis: this.description, key: outputKey(this.location.prefix, output) }, `a value is not a record with ${keyField(output)}`);
  }

  private async exec(commands: string[][], what: string): Promise<unknown[]> {
    let results: [Error | null, unknown][] | null;
    try {
      if (this.client.status === 'wait' || this.client.status === 'end') await this.client.connect();
      results = await this.client.pipeline(commands).exec();
    } catch (error) {
      throw new Error(`Redis at ${this.description}: cannot read ${what}: ${(error as Error).message}`);
    }
    if (results === null) throw new Error(`Redis at ${this.description}: reading ${what} was aborted`);
    return results.map(([error, value], i) => {
      if (error) throw new Error(`Redis at ${this.description}: ${commands[i]?.[0]} ${commands[i]?.[1]} failed while reading ${what}: ${error.message}`);
      return value;
    });
  }
}

/** The hash fields a snapshot needs: the recent windows, or the latest `as_of`. */
function wantedFields(output: ScreenOutput, fields: string[]): string[] {
  const keys = fields.map(Number).filter((k) => Number.isSafeInteger(k)).sort((a, b) => a - b);
  const n = output === 'minute_sales' ? MINUTES_SHOWN : output === 'gender_10min' ? TEN_MINUTES_SHOWN : 1;
  return keys.slice(-n).map(String);
}
