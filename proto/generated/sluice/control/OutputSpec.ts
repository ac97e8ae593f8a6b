// Original file: control.proto

import type { PartitionerKind as _sluice_control_PartitionerKind, PartitionerKind__Output as _sluice_control_PartitionerKind__Output } from '../../sluice/control/PartitionerKind';

export interface OutputSpec {
  'targetVertexId'?: (string);
  'partitioner'?: (_sluice_control_PartitionerKind);
  'subpartitions'?: (number);
  'targetMaxParallelism'?: (number);
  'keyOperatorId'?: (string);
  'edgeId'?: (string);
  'consumerTaskmanagerIds'?: (string)[];
}

export interface OutputSpec__Output {
  'targetVertexId': (string);
  'partitioner': (_sluice_control_PartitionerKind__Output);
  'subpartitions': (number);
  'targetMaxParallelism': (number);
  'keyOperatorId': (string);
  'edgeId': (string);
  'consumerTaskmanagerIds': (string)[];
}
