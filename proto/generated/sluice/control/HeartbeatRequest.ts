// Original file: control.proto

import type { TaskMetricsReport as _sluice_control_TaskMetricsReport, TaskMetricsReport__Output as _sluice_control_TaskMetricsReport__Output } from '../../sluice/control/TaskMetricsReport';

export interface HeartbeatRequest {
  'taskmanagerId'?: (string);
  'tasks'?: (_sluice_control_TaskMetricsReport)[];
}

export interface HeartbeatRequest__Output {
  'taskmanagerId': (string);
  'tasks': (_sluice_control_TaskMetricsReport__Output)[];
}
