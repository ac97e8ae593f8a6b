// Original file: control.proto

import type { PartitionerKind as _sluice_control_PartitionerKind, PartitionerKind__Output as _sluice_control_PartitionerKind__Output } from '../../sluice/control/PartitionerKind';

export interface JobEdge {
  'sourceVertexId'?: (string);
  'partitioner'?: (_sluice_control_PartitionerKind);
  'keyOperatorId'?: (string);
  'inputIndex'?: (number);
  'id'?: (string);
}

export interface JobEdge__Output {
  'sourceVertexId': (string);
  'partitioner': (_sluice_control_PartitionerKind__Output);
  'keyOperatorId': (string);
  'inputIndex': (number);
  'id': (string);
}
