/** The implementation of DataStreamSink: the sink node a pipeline ends in. */
import type { StreamNode } from '../../common/graph/stream-graph.ts';
import type { DataStreamSink } from './streams.ts';

/** A sink node, named and sized through the DataStreamSink interface. */
export class DataStreamSinkImpl implements DataStreamSink {
  constructor(private readonly node: StreamNode) {}

  name(name: string): this {
    this.node.name = name;
    return this;
  }

  uid(uid: string): this {
    this.node.uid = uid;
    return this;
  }

  setParallelism(parallelism: number): this {
    this.node.parallelism = parallelism;
    return this;
  }
}
