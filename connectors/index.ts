/**
 * The connectors that jobs use and TaskManagers run: sources, sinks, and URI resolution.
 */
export { BoundedCollectionSource, fromCollection, type CollectionSourceOptions } from './collection/collection-source.ts';
export { CollectionSourceReader } from './collection/collection-source-reader.ts';
export type { CollectionSplit } from './collection/collection-split.ts';
export { DataGenSource } from './datagen/datagen-source.ts';
export { DataGenSourceReader } from './datagen/datagen-source-reader.ts';
export type { DataGenerator, DataGenOptions } from './datagen/datagen-options.ts';
export type { DataGenSplit } from './datagen/datagen-split.ts';
export { SplitMixRandom } from './datagen/split-mix-random.ts';
export type { FileFormat } from './file/file-format.ts';
export { FileSource } from './file/file-source.ts';
export type { FileSourceOptions } from './file/file-source-options.ts';
export { FileSourceReader } from './file/file-source-reader.ts';
export type { FileSplit } from './file/file-split.ts';
export { CollectSink, CollectSinkWriter } from './sinks/collect-sink.ts';
export { FileSink, type FileSinkOptions } from './sinks/file-sink.ts';
export { FileSinkWriter, type FileTransaction } from './sinks/file-sink-writer.ts';
export { PrintSink, PrintSinkWriter, type PrintSinkOptions } from './sinks/print-sink.ts';
export { SlowSink, SlowSinkWriter, type SlowSinkOptions } from './sinks/slow-sink.ts';
export { sinkFromUri, sourceFromUri, type SourceUriOptions } from './registry.ts';
