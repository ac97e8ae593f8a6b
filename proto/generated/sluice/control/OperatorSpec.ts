// Original file: control.proto


export interface OperatorSpec {
  'id'?: (string);
  'uid'?: (string);
  'name'?: (string);
  'kind'?: (string);
}

export interface OperatorSpec__Output {
  'id': (string);
  'uid': (string);
  'name': (string);
  'kind': (string);
}
