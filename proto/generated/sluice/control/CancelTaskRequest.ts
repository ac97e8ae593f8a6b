// Original file: control.proto


export interface CancelTaskRequest {
  'jobId'?: (string);
  'executionId'?: (string);
}

export interface CancelTaskRequest__Output {
  'jobId': (string);
  'executionId': (string);
}
