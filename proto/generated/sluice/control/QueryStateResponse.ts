// Original file: control.proto


export interface QueryStateResponse {
  'status'?: (string);
  'valueJson'?: (string);
}

export interface QueryStateResponse__Output {
  'status': (string);
  'valueJson': (string);
}
