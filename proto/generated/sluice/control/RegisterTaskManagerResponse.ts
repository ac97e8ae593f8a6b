// Original file: control.proto


export interface RegisterTaskManagerResponse {
  'jobmanagerId'?: (string);
  'heartbeatIntervalMs'?: (number);
  'heartbeatTimeoutMs'?: (number);
}

export interface RegisterTaskManagerResponse__Output {
  'jobmanagerId': (string);
  'heartbeatIntervalMs': (number);
  'heartbeatTimeoutMs': (number);
}
