// Original file: control.proto


export interface RescaleResponse {
  'savepointPath'?: (string);
}

export interface RescaleResponse__Output {
  'savepointPath': (string);
}
