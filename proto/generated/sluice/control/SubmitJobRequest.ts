// Original file: control.proto

import type { JobGraph as _sluice_control_JobGraph, JobGraph__Output as _sluice_control_JobGraph__Output } from '../../sluice/control/JobGraph';

export interface SubmitJobRequest {
  'graph'?: (_sluice_control_JobGraph | null);
  'bundle'?: (Buffer | Uint8Array | string);
}

export interface SubmitJobRequest__Output {
  'graph': (_sluice_control_JobGraph__Output | null);
  'bundle': (Buffer);
}
