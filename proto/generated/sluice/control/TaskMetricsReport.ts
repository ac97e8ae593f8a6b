// Original file: control.proto


export interface TaskMetricsReport {
  'executionId'?: (string);
  'recordsIn'?: (number | string);
  'recordsOut'?: (number | string);
}

export interface TaskMetricsReport__Output {
  'executionId': (string);
  'recordsIn': (number);
  'recordsOut': (number);
}
