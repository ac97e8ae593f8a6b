// Original file: control.proto

import type { JobGraph as _sluice_control_JobGraph, JobGraph__Output as _sluice_control_JobGraph__Output } from '../../sluice/control/JobGraph';
import type { JobSettings as _sluice_control_JobSettings, JobSettings__Output as _sluice_control_JobSettings__Output } from '../../sluice/control/JobSettings';

export interface SubmitJobRequest {
  'graph'?: (_sluice_control_JobGraph | null);
  'bundle'?: (Buffer | Uint8Array | string);
  'settings'?: (_sluice_control_JobSettings | null);
  'restorePath'?: (string);
}

export interface SubmitJobRequest__Output {
  'graph': (_sluice_control_JobGraph__Output | null);
  'bundle': (Buffer);
  'settings': (_sluice_control_JobSettings__Output | null);
  'restorePath': (string);
}
