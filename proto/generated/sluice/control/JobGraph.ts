// Original file: control.proto

import type { JobVertex as _sluice_control_JobVertex, JobVertex__Output as _sluice_control_JobVertex__Output } from '../../sluice/control/JobVertex';

export interface JobGraph {
  'name'?: (string);
  'vertices'?: (_sluice_control_JobVertex)[];
  'args'?: ({[key: string]: string});
  'defaultParallelism'?: (number);
}

export interface JobGraph__Output {
  'name': (string);
  'vertices': (_sluice_control_JobVertex__Output)[];
  'args': ({[key: string]: string});
  'defaultParallelism': (number);
}
