// Original file: control.proto


export interface HeartbeatResponse {
  'known'?: (boolean);
}

export interface HeartbeatResponse__Output {
  'known': (boolean);
}
