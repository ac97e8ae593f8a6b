/**
 * One connection pool per process (a TaskManager) and database URI, shared by the sink and source
 * subtasks that name it and closed when the last of them closes, so when the job ends.
 */
import type { SqlClient } from './sql-client.ts';
import type { SqlDialect } from './sql-dialect.ts';
import type { SqlUri } from './sql-uri.ts';

interface SharedPool {
  readonly client: SqlClient;
  users: number;
}

const pools = new Map<string, SharedPool>();

function keyOf(uri: SqlUri): string {
  return JSON.stringify([uri.dialect, uri.host, uri.port, uri.database, uri.user, uri.password ?? null]);
}

/** The shared pool of `uri`'s database, opened on first use; give it back with `releasePool`. */
export function acquirePool(dialect: SqlDialect, uri: SqlUri): SqlClient {
  const key = keyOf(uri);
  let shared = pools.get(key);
  if (shared === undefined) {
    shared = { client: dialect.connect(uri), users: 0 };
    pools.set(key, shared);
  }
  shared.users++;
  return shared.client;
}

/** Gives back a pool of `acquirePool`; the last user closes it. */
export async function releasePool(uri: SqlUri): Promise<void> {
  const key = keyOf(uri);
  const shared = pools.get(key);
  if (shared === undefined) return;
  shared.users--;
  if (shared.users > 0) return;
  pools.delete(key);
  await shared.client.close().catch(() => undefined);
}

/** How many pools are open, for tests of pool sharing and closing. */
export function openPoolCount(): number {
  return pools.size;
}
