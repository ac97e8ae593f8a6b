// Original file: checkpoint.proto


export interface KeyGroupRange {
  'start'?: (number);
  'end'?: (number);
}

export interface KeyGroupRange__Output {
  'start': (number);
  'end': (number);
}
