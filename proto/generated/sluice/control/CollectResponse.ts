// Original file: control.proto

import type { Long } from '@grpc/proto-loader';

export interface CollectResponse {
  'records'?: (Buffer | Uint8Array | string);
  'nextOffset'?: (number | string | Long);
  'finished'?: (boolean);
}

export interface CollectResponse__Output {
  'records': (Buffer);
  'nextOffset': (number);
  'finished': (boolean);
}
