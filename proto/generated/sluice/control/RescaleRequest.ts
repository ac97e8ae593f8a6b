// Original file: control.proto


export interface RescaleRequest {
  'jobId'?: (string);
  'parallelism'?: (number);
}

export interface RescaleRequest__Output {
  'jobId': (string);
  'parallelism': (number);
}
