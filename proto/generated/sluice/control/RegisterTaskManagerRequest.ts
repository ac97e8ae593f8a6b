// Original file: control.proto


export interface RegisterTaskManagerRequest {
  'taskmanagerId'?: (string);
  'address'?: (string);
  'slots'?: (number);
  'metricsAddress'?: (string);
}

export interface RegisterTaskManagerRequest__Output {
  'taskmanagerId': (string);
  'address': (string);
  'slots': (number);
  'metricsAddress': (string);
}
