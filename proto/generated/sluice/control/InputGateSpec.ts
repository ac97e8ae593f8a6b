// Original file: control.proto

import type { PartitionerKind as _sluice_control_PartitionerKind, PartitionerKind__Output as _sluice_control_PartitionerKind__Output } from '../../sluice/control/PartitionerKind';
import type { InputChannelSpec as _sluice_control_InputChannelSpec, InputChannelSpec__Output as _sluice_control_InputChannelSpec__Output } from '../../sluice/control/InputChannelSpec';

export interface InputGateSpec {
  'sourceVertexId'?: (string);
  'inputIndex'?: (number);
  'partitioner'?: (_sluice_control_PartitionerKind);
  'channels'?: (_sluice_control_InputChannelSpec)[];
  'edgeId'?: (string);
}

export interface InputGateSpec__Output {
  'sourceVertexId': (string);
  'inputIndex': (number);
  'partitioner': (_sluice_control_PartitionerKind__Output);
  'channels': (_sluice_control_InputChannelSpec__Output)[];
  'edgeId': (string);
}
