/** The environment a job builds its graph in. */
import type { Source } from '../../common/connector/source.ts';
import { StreamGraph } from '../../common/graph/stream-graph.ts';
import { DataStreamImpl } from './data-stream.ts';
import type { StreamDefaults } from './stream-input.ts';
import type { DataStream } from './streams.ts';
import { WatermarkStrategy } from './watermark-strategy.ts';
import {
  resolveLocalWindowAggregation,
  type LocalWindowAggregationConfig,
  type LocalWindowAggregationOptions,
} from './windowing/local-window-aggregation.ts';

/** Settings of an environment, as given by the CLI (`-p`) or a test. */
export interface EnvironmentOptions {
  /** Default parallelism of every operator. */
  parallelism?: number;
  /** Default max parallelism; derived from each operator's parallelism when unset. */
  maxParallelism?: number;
  /** Local aggregation of window aggregates before the keyed exchange; on by default. */
  localWindowAggregation?: LocalWindowAggregationOptions;
}

/** Creates streams from sources and holds the graph they form. */
export class StreamExecutionEnvironment {
  /** The logical graph built so far. */
  readonly graph = new StreamGraph();
  private parallelism: number;
  private maxParallelism: number | undefined;
  private localAggregation: LocalWindowAggregationConfig;
  private readonly defaults: StreamDefaults = {
    parallelism: () => this.parallelism,
    localWindowAggregation: () => this.localAggregation,
  };

  constructor(options: EnvironmentOptions = {}) {
    this.parallelism = options.parallelism ?? 1;
    this.maxParallelism = options.maxParallelism;
    this.localAggregation = resolveLocalWindowAggregation(options.localWindowAggregation);
  }

  /**
   * Sets how window aggregates defined after this call are aggregated locally before the keyed
   * exchange (see `WindowedStream.aggregate`); `{ enabled: false }` sends every record across.
   */
  setLocalWindowAggregation(options: LocalWindowAggregationOptions): this {
    this.localAggregation = resolveLocalWindowAggregation(options);
    return this;
  }

  /** Sets the default parallelism of the operators that set none. */
  setParallelism(parallelism: number): this {
    this.parallelism = parallelism;
    return this;
  }

  /** The default parallelism. */
  getParallelism(): number {
    return this.parallelism;
  }

  /** Sets the default max parallelism. */
  setMaxParallelism(maxParallelism: number): this {
    this.maxParallelism = maxParallelism;
    return this;
  }

  /** The default max parallelism, if one was set. */
  getMaxParallelism(): number | undefined {
    return this.maxParallelism;
  }

  /**
   * Adds a source, optionally with a watermark strategy, which then applies per split. `name`
   * defaults to the input name the source was created for.
   */
  fromSource<T>(source: Source<T>, name?: string): DataStream<T>;
  fromSource<T>(source: Source<T>, watermarks: WatermarkStrategy<T>, name?: string): DataStream<T>;
  fromSource<T>(source: Source<T>, watermarksOrName?: WatermarkStrategy<T> | string, maybeName?: string): DataStream<T> {
    const watermarks = watermarksOrName instanceof WatermarkStrategy ? watermarksOrName : undefined;
    const name = typeof watermarksOrName === 'string' ? watermarksOrName : maybeName;
    watermarks?.validate(source.timestamped === true);
    const label = name ?? (source as { inputName?: string }).inputName ?? source.kind;
    const node = this.graph.addNode('source', label, { source: source as Source<unknown>, spec: watermarks });
    return new DataStreamImpl<T>(this.graph, [{ node, partitioning: 'forward' }], this.defaults);
  }
}
