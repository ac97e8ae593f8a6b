// Original file: control.proto

import type { JobStatus as _sluice_control_JobStatus, JobStatus__Output as _sluice_control_JobStatus__Output } from '../../sluice/control/JobStatus';

export interface ListJobsResponse {
  'jobs'?: (_sluice_control_JobStatus)[];
}

export interface ListJobsResponse__Output {
  'jobs': (_sluice_control_JobStatus__Output)[];
}
