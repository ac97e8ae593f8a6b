// Original file: control.proto


export interface TaskStatus {
  'vertexId'?: (string);
  'vertexName'?: (string);
  'subtask'?: (number);
  'attempt'?: (number);
  'state'?: (string);
  'taskmanagerId'?: (string);
  'recordsIn'?: (number | string);
  'recordsOut'?: (number | string);
  'failure'?: (string);
  'executionId'?: (string);
}

export interface TaskStatus__Output {
  'vertexId': (string);
  'vertexName': (string);
  'subtask': (number);
  'attempt': (number);
  'state': (string);
  'taskmanagerId': (string);
  'recordsIn': (number);
  'recordsOut': (number);
  'failure': (string);
  'executionId': (string);
}
