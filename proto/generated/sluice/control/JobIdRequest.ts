// Original file: control.proto


export interface JobIdRequest {
  'jobId'?: (string);
}

export interface JobIdRequest__Output {
  'jobId': (string);
}
