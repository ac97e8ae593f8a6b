// Original file: control.proto


export interface CollectPushRequest {
  'jobId'?: (string);
  'sinkId'?: (string);
  'records'?: (Buffer | Uint8Array | string);
  'count'?: (number);
}

export interface CollectPushRequest__Output {
  'jobId': (string);
  'sinkId': (string);
  'records': (Buffer);
  'count': (number);
}
