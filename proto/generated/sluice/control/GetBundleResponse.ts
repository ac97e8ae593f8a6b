// Original file: control.proto

import type { JobGraph as _sluice_control_JobGraph, JobGraph__Output as _sluice_control_JobGraph__Output } from '../../sluice/control/JobGraph';

export interface GetBundleResponse {
  'bundle'?: (Buffer | Uint8Array | string);
  'graph'?: (_sluice_control_JobGraph | null);
}

export interface GetBundleResponse__Output {
  'bundle': (Buffer);
  'graph': (_sluice_control_JobGraph__Output | null);
}
