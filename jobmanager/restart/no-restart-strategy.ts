/** The strategy for jobs that must not restart: the first failure ends the job. */
import type { RestartStrategy } from './restart-strategy.ts';

/** Never restarts. */
export class NoRestartStrategy implements RestartStrategy {
  /** Always 0. */
  readonly restarts = 0;

  /** Always gives up. */
  onFailure(_now: number): number | undefined {
    return undefined;
  }

  /** "none". */
  describe(): string {
    return 'none';
  }
}
