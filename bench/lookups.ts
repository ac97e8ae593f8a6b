/**
 * Redis and HTTP lookups through async I/O with capacity 100: an ordered `AsyncWaitOperator`
 * (under the operator harness, its mail run as a task runs it between batches) whose function
 * calls a lookup service per record, the Redis one (`redis://`, keys coalesced per tick into one
 * MGET) and the HTTP one (one GET per key against a small JSON server in this process). Prints one
 * JSON line: lookups per second and the p50 and p99 latency of a call, for each.
 *
 * Run with `node bin/run-ts.js bench/lookups.ts` (Redis at `SLUICE_REDIS`, default
 * 127.0.0.1:6379); `BENCH_RECORDS` sets the lookups per service.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { AsyncFunction } from '../client/api/async-function.ts';
import { asyncWaitSpec } from '../client/api/async-wait-options.ts';
import { lookupFromUri } from '../connectors/lookup/lookup-from-uri.ts';
import type { LookupService } from '../connectors/lookup/lookup-service.ts';
import type { RedisLookupService } from '../connectors/redis/redis-lookup-service.ts';
import { AsyncWaitOperator } from '../taskmanager/operators/async-wait-operator.ts';
import { OperatorHarness } from '../test/support/operator-harness.ts';
import { REDIS_ADDRESS, deletePrefix, testRedisClient, uniquePrefix } from '../test/support/redis-test-server.ts';
import { emit, envInt, log, round } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 100_000);
const KEYS = 10_000;
const CAPACITY = 100;

const value = (key: number): string => JSON.stringify({ id: key, name: `item ${key}`, tier: key % 5 });

/** Runs RECORDS lookups through the operator; returns the rate and call latencies. */
async function run(service: LookupService): Promise<Record<string, number>> {
  const latencies: number[] = [];
  const fn: AsyncFunction<unknown, unknown> = {
    async asyncInvoke(input, ctx) {
      const start = performance.now();
      const found = await service.lookup((input as { key: number }).key, ctx.signal);
      latencies.push(performance.now() - start);
      if (found === undefined) throw new Error(`no value for ${JSON.stringify(input)}`);
      return found;
    },
  };
  const h = await OperatorHarness.open((setup) => new AsyncWaitOperator(setup, fn, asyncWaitSpec('ordered', { capacity: CAPACITY }, undefined)));
  const start = performance.now();
  let sent = 0;
  let emitted = 0;
  while (emitted < RECORDS) {
    while (sent < RECORDS && !h.operator.blocked) h.processElement({ key: sent++ % KEYS });
    await nextMacrotask();
    h.runMails();
    emitted += h.output.records.length;
    h.clearOutput();
  }
  const ms = performance.now() - start;
  await h.finishAndClose();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0, 2);
  return { lookupsPerSecond: round((RECORDS / ms) * 1000), p50Ms: at(0.5), p99Ms: at(0.99) };
}

const client = testRedisClient();
await client.connect();
const prefix = uniquePrefix('bench-lookups');
const server = createServer((req, res) => {
  const key = Number(req.url?.slice(1));
  res.writeHead(200, { 'content-type': 'application/json' }).end(value(key));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
try {
  for (let k = 0; k < KEYS; k += 1000) {
    const pipeline = client.pipeline();
    for (let j = k; j < k + 1000; j++) pipeline.set(`${prefix}:${j}`, value(j));
    await pipeline.exec();
  }
  log(`${RECORDS} lookups each through async I/O, capacity ${CAPACITY}`);
  const redisService = lookupFromUri(`redis://${REDIS_ADDRESS}/${prefix}`) as RedisLookupService;
  const redis = await run(redisService);
  await redisService.close();
  const http = await run(lookupFromUri(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  emit({ benchmark: 'lookups', records: RECORDS, capacity: CAPACITY, redis, http });
} finally {
  server.closeAllConnections();
  server.close();
  await deletePrefix(client, prefix);
  client.disconnect();
}
