// Original file: control.proto


export interface TaskStateUpdate {
  'taskmanagerId'?: (string);
  'jobId'?: (string);
  'executionId'?: (string);
  'state'?: (string);
  'failure'?: (string);
  'recordsIn'?: (number | string);
  'recordsOut'?: (number | string);
}

export interface TaskStateUpdate__Output {
  'taskmanagerId': (string);
  'jobId': (string);
  'executionId': (string);
  'state': (string);
  'failure': (string);
  'recordsIn': (number);
  'recordsOut': (number);
}
