// Original file: control.proto


export interface ReleaseJobRequest {
  'jobId'?: (string);
}

export interface ReleaseJobRequest__Output {
  'jobId': (string);
}
