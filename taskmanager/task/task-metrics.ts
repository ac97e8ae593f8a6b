/** The counters of one task, read by the metrics registry and the heartbeat report. */
export class TaskMetrics {
  recordsIn = 0;
  /** Records handed to the network. */
  recordsOut = 0;
  /** Records written by the sinks of the chain. */
  sinkRecordsOut = 0;
  /** Encoded bytes received from remote channels. */
  bytesIn = 0;
  /** Milliseconds spent waiting for output capacity. */
  backPressuredMs = 0;
  /** Malformed input lines seen by a source. */
  malformed = 0;
  /** The task's current input watermark (min over its input channels), -Infinity before the first. */
  inputWatermark = Number.NEGATIVE_INFINITY;

  /** Records out as reported: to the network plus into sinks. */
  get totalRecordsOut(): number {
    return this.recordsOut + this.sinkRecordsOut;
  }
}
