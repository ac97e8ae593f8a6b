/**
 * Bounds the malformed output of one operator between two checkpoints, so that a broken input
 * fails its task with an error naming the limit instead of growing the dead-letter output (and a
 * transactional sink's staged files) without bound. Only the malformed path pays for it.
 */

/** Bytes of malformed reports used since the last checkpoint, against a limit. */
export class MalformedBudget {
  private used = 0;

  /**
   * @param limit bytes of `raw` and `error` texts allowed between two checkpoints
   * @param owner names the input in the error, for example `input "in"`
   */
  constructor(
    readonly limit: number,
    private readonly owner: string,
  ) {}

  /** Charges one report; throws when it takes the interval past the limit. */
  charge(raw: string, error: string): void {
    this.used += Buffer.byteLength(raw) + Buffer.byteLength(error);
    if (this.used > this.limit) {
      throw new Error(
        `${this.owner}: the malformed output exceeded maxMalformedBytes (${this.limit} bytes between two checkpoints, or since the start without checkpoints); ` +
          `the last report was: ${error}. Fix the input, or raise the limit (?maxMalformedBytes=N on a file: input)`,
      );
    }
  }

  /** A checkpoint was taken: the next interval starts empty. */
  reset(): void {
    this.used = 0;
  }
}
