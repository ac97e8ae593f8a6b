// Original file: control.proto

import type { OperatorSpec as _sluice_control_OperatorSpec, OperatorSpec__Output as _sluice_control_OperatorSpec__Output } from '../../sluice/control/OperatorSpec';
import type { JobEdge as _sluice_control_JobEdge, JobEdge__Output as _sluice_control_JobEdge__Output } from '../../sluice/control/JobEdge';

export interface JobVertex {
  'id'?: (string);
  'name'?: (string);
  'parallelism'?: (number);
  'maxParallelism'?: (number);
  'operators'?: (_sluice_control_OperatorSpec)[];
  'inputs'?: (_sluice_control_JobEdge)[];
  'isSource'?: (boolean);
}

export interface JobVertex__Output {
  'id': (string);
  'name': (string);
  'parallelism': (number);
  'maxParallelism': (number);
  'operators': (_sluice_control_OperatorSpec__Output)[];
  'inputs': (_sluice_control_JobEdge__Output)[];
  'isSource': (boolean);
}
