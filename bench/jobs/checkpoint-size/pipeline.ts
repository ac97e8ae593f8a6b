/** What the checkpoint-size benchmark job and its driver share. */

/** Seeds of the two datagen sources (their generators draw no randomness). */
export const LOAD_SEED = 1;
export const UPDATE_SEED = 2;

/** Names of the sources, as they appear in job status. */
export const LOAD_SOURCE = 'load';
export const UPDATE_SOURCE = 'updates';

/** One record: the key it writes, and its index in its source. */
export interface KeyedUpdate {
  readonly key: number;
  readonly index: number;
}
