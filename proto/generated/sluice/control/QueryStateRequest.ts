// Original file: control.proto


export interface QueryStateRequest {
  'jobId'?: (string);
  'executionId'?: (string);
  'stateName'?: (string);
  'keyJson'?: (string);
}

export interface QueryStateRequest__Output {
  'jobId': (string);
  'executionId': (string);
  'stateName': (string);
  'keyJson': (string);
}
