/**
 * Opening a NATS connection and a JetStream stream, with errors that name the server, the
 * stream and the cause in one line.
 */
import { jetstreamManager, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NatsAddress } from './nats-uri.ts';

/** How long connecting (and each JetStream request) may take before it fails. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A connection that never reconnects by itself: when it drops, the task that owns it fails and
 * the job restarts from its last checkpoint, which keeps recovery in one place.
 */
export async function connectNats(address: NatsAddress, role: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers: address.server,
      user: address.user,
      pass: address.pass,
      token: address.token,
      name: `sluice ${role}`,
      reconnect: false,
      timeout: CONNECT_TIMEOUT_MS,
    });
  } catch (error) {
    throw new Error(`cannot connect to the NATS server at ${address.server}: ${connectReason(error, address)}`, { cause: error });
  }
}

/** The JetStream manager of a connection and the info of the address's stream; throws naming the stream. */
export async function openStream(connection: NatsConnection, address: NatsAddress, subjectsFilter?: string): Promise<{ manager: JetStreamManager; info: StreamInfo }> {
  let manager: JetStreamManager;
  try {
    manager = await jetstreamManager(connection, { timeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`JetStream is not available on the NATS server at ${address.server}: ${reasonOf(error)}`, { cause: error });
  }
  try {
    const info = await manager.streams.info(address.stream, subjectsFilter === undefined ? undefined : { subjects_filter: subjectsFilter });
    return { manager, info };
  } catch (error) {
    const reason = reasonOf(error);
    if (/stream not found/i.test(reason)) throw new Error(`stream "${address.stream}" does not exist on the NATS server at ${address.server}`, { cause: error });
    throw new Error(`cannot read stream "${address.stream}" on the NATS server at ${address.server}: ${reason}`, { cause: error });
  }
}

/** The message of an error, without a stack. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What went wrong while connecting, in words a user can act on. */
function connectReason(error: unknown, address: NatsAddress): string {
  const reason = reasonOf(error);
  if (/authorization violation|authentication/i.test(reason)) {
    const given = address.user !== undefined ? `user "${address.user}"` : address.token !== undefined ? 'the token' : 'no credentials';
    return `authentication refused (${given}; put credentials in the URI as nats://USER:PASSWORD@host:port/...)`;
  }
  if (/refused/i.test(reason)) return 'connection refused (is the server running, and is the port right?)';
  return reason;
}
