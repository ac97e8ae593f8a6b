/** The public API of Sluice, imported by job modules as `sluice`. */
export { StreamExecutionEnvironment, type EnvironmentOptions } from './api/environment.ts';
export { DataStream, KeyedStream, DataStreamSink } from './api/data-stream.ts';
export { defineJob, JobArgs, type JobDefinition, type InputOptions } from './api/job-definition.ts';
export {
  OutputTag,
  MALFORMED,
  type MalformedRecord,
  type RuntimeContext,
  type Collector,
  type MapFunction,
  type FilterFunction,
  type FlatMapFunction,
  type KeySelector,
} from './api/functions.ts';
export type { Source, SourceReader, SourceSplit, SourceOutput, SourceReaderContext, PollStatus } from '../common/connector/source.ts';
export type { Sink, SinkWriter, SinkContext } from '../common/connector/sink.ts';
export { assignToKeyGroup, computeOperatorIndexForKeyGroup, defaultMaxParallelism, hashKey, murmurHash, keyGroupRangeForOperator, type KeyValue } from '../common/key-groups.ts';
export {
  DataGenSource,
  SplitMixRandom,
  fromCollection,
  FileSource,
  FileSink,
  PrintSink,
  CollectSink,
  SlowSink,
  sourceFromUri,
  sinkFromUri,
  type DataGenOptions,
  type DataGenerator,
  type FileSourceOptions,
  type FileSinkOptions,
} from '../connectors/index.ts';
