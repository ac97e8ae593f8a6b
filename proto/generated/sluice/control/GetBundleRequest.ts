// Original file: control.proto


export interface GetBundleRequest {
  'jobId'?: (string);
}

export interface GetBundleRequest__Output {
  'jobId': (string);
}
