// Original file: checkpoint.proto

export const OperatorStateMode = {
  SPLIT: 'SPLIT',
  UNION: 'UNION',
  BROADCAST: 'BROADCAST',
} as const;

export type OperatorStateMode =
  | 'SPLIT'
  | 0
  | 'UNION'
  | 1
  | 'BROADCAST'
  | 2

export type OperatorStateMode__Output = typeof OperatorStateMode[keyof typeof OperatorStateMode]
