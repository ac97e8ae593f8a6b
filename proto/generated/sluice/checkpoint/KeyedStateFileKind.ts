// Original file: checkpoint.proto

export const KeyedStateFileKind = {
  FULL: 'FULL',
  DELTA: 'DELTA',
} as const;

export type KeyedStateFileKind =
  | 'FULL'
  | 0
  | 'DELTA'
  | 1

export type KeyedStateFileKind__Output = typeof KeyedStateFileKind[keyof typeof KeyedStateFileKind]
