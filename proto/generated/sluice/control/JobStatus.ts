// Original file: control.proto

import type { TaskStatus as _sluice_control_TaskStatus, TaskStatus__Output as _sluice_control_TaskStatus__Output } from '../../sluice/control/TaskStatus';
import type { JobGraph as _sluice_control_JobGraph, JobGraph__Output as _sluice_control_JobGraph__Output } from '../../sluice/control/JobGraph';
import type { CheckpointCounts as _sluice_control_CheckpointCounts, CheckpointCounts__Output as _sluice_control_CheckpointCounts__Output } from '../../sluice/control/CheckpointCounts';

export interface JobStatus {
  'jobId'?: (string);
  'name'?: (string);
  'state'?: (string);
  'startTime'?: (number | string);
  'endTime'?: (number | string);
  'failure'?: (string);
  'tasks'?: (_sluice_control_TaskStatus)[];
  'recordsIn'?: (number | string);
  'recordsOut'?: (number | string);
  'graph'?: (_sluice_control_JobGraph | null);
  'checkpoints'?: (_sluice_control_CheckpointCounts | null);
  'restarts'?: (number);
  'lastFailure'?: (string);
  'lastFailureTime'?: (number | string);
}

export interface JobStatus__Output {
  'jobId': (string);
  'name': (string);
  'state': (string);
  'startTime': (number);
  'endTime': (number);
  'failure': (string);
  'tasks': (_sluice_control_TaskStatus__Output)[];
  'recordsIn': (number);
  'recordsOut': (number);
  'graph': (_sluice_control_JobGraph__Output | null);
  'checkpoints': (_sluice_control_CheckpointCounts__Output | null);
  'restarts': (number);
  'lastFailure': (string);
  'lastFailureTime': (number);
}
