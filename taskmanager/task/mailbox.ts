/**
 * The mailbox of a task: control actions queued from outside (cancellation, later timers and
 * checkpoint triggers) run one at a time between batches, never inside the record loop.
 */
import { deferred, type Deferred } from '../../common/async.ts';

/** An action to run in the task's thread of control. */
export type Mail = () => void;

/** A FIFO of mails with a wake-up for the task loop. */
export class Mailbox {
  private readonly mails: Mail[] = [];
  private waiter: Deferred<void> | undefined;

  /** Queues a mail and wakes the task. */
  put(mail: Mail): void {
    this.mails.push(mail);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve();
  }

  /** Whether mail is waiting. */
  get hasMail(): boolean {
    return this.mails.length > 0;
  }

  /** Runs every waiting mail. */
  drain(): void {
    while (this.mails.length > 0) this.mails.shift()!();
  }

  /** Resolves when mail arrives. */
  whenMail(): Promise<void> {
    if (this.mails.length > 0) return Promise.resolve();
    this.waiter ??= deferred<void>();
    return this.waiter.promise;
  }
}
