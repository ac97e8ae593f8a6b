// Original file: control.proto

export const PartitionerKind = {
  FORWARD: 'FORWARD',
  REBALANCE: 'REBALANCE',
  BROADCAST: 'BROADCAST',
  HASH: 'HASH',
} as const;

export type PartitionerKind =
  | 'FORWARD'
  | 0
  | 'REBALANCE'
  | 1
  | 'BROADCAST'
  | 2
  | 'HASH'
  | 3

export type PartitionerKind__Output = typeof PartitionerKind[keyof typeof PartitionerKind]
