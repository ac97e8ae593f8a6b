// Original file: control.proto


export interface SavepointResponse {
  'path'?: (string);
}

export interface SavepointResponse__Output {
  'path': (string);
}
