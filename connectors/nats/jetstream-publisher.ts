/**
 * Pipelined JetStream publishing on a core NATS connection: each message goes out with a reply
 * subject on one inbox, and the stream's acknowledgements are counted as they come back, with a
 * bound on how many are outstanding. Far cheaper per message than one request per publish, and it
 * gives the event loop back between windows, so heartbeats keep flowing during a large commit.
 */
import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** Messages published and not yet acknowledged, at most. */
const WINDOW = 256;
/** How long a wait for acknowledgements may see none before the publish fails. */
const ACK_TIMEOUT_MS = 10_000;

/** Publishes to a stream and waits for its acknowledgements; see the module comment. */
export class JetStreamPublisher {
  private readonly inbox = createInbox();
  private readonly subscription: Subscription;
  private outstanding = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  /**
   * @param connection an open connection
   * @param server `host:port`, to name in errors
   */
  constructor(
    private readonly connection: NatsConnection,
    private readonly server: string,
  ) {
    this.subscription = connection.subscribe(this.inbox, { callback: (_error, message) => this.acknowledged(message) });
  }

  /**
   * Publishes one message (its headers carry `Nats-Msg-Id` and the expected stream). When the window
   * fills, waits until half of it is acknowledged, so that waits come once per half window.
   */
  async publish(subject: string, data: string, headers: MsgHdrs): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.connection.publish(subject, data, { reply: this.inbox, headers });
    if (++this.outstanding >= WINDOW) await this.until(() => this.outstanding <= WINDOW / 2, subject);
  }

  /** Waits until every message published so far is acknowledged; throws the first refusal. */
  async drained(subject: string): Promise<void> {
    await this.until(() => this.outstanding === 0, subject);
  }

  /** Stops listening for acknowledgements. */
  close(): void {
    this.subscription.unsubscribe();
  }

  private acknowledged(message: Msg): void {
    this.outstanding--;
    if (this.failure === undefined) {
      const refusal = refusalOf(message, this.server);
      if (refusal !== undefined) this.failure = new Error(refusal);
    }
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async until(done: () => boolean, subject: string): Promise<void> {
    while (!done()) {
      if (this.failure !== undefined) throw this.failure;
      const before = this.outstanding;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(resolve, ACK_TIMEOUT_MS);
      });
      clearTimeout(timer);
      if (this.outstanding === before && !done() && this.failure === undefined) {
        throw new Error(`no acknowledgement from the NATS server at ${this.server} for "${subject}" within ${ACK_TIMEOUT_MS} ms`);
      }
    }
    if (this.failure !== undefined) throw this.failure;
  }
}

/** Why the server refused a publish, or undefined for a stored (or duplicate) message. */
function refusalOf(message: Msg, server: string): string | undefined {
  const status = message.headers?.code ?? 0;
  if (status === 503) return `no stream on the NATS server at ${server} captures the subject`;
  if (status >= 400) return `the server answered ${status} ${message.headers?.description ?? ''}`.trim();
  try {
    const ack = JSON.parse(message.string()) as { error?: { code?: number; description?: string } };
    return ack.error === undefined ? undefined : `the stream refused the message: ${ack.error.description ?? 'unknown error'} (${ack.error.code ?? '?'})`;
  } catch {
    return `an acknowledgement that is not JSON: ${message.string().slice(0, 200)}`;
  }
}
