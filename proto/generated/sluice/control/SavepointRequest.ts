// Original file: control.proto


export interface SavepointRequest {
  'jobId'?: (string);
  'targetDir'?: (string);
  'stop'?: (boolean);
}

export interface SavepointRequest__Output {
  'jobId': (string);
  'targetDir': (string);
  'stop': (boolean);
}
