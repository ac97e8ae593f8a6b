/** Re-exports of the generated wire types that the runtime uses by name. */
export type { JobGraph__Output as JobGraph, JobGraph as JobGraphInput } from '../../proto/generated/sluice/control/JobGraph.ts';
export type { JobVertex__Output as JobVertex } from '../../proto/generated/sluice/control/JobVertex.ts';
export type { JobEdge__Output as JobEdge } from '../../proto/generated/sluice/control/JobEdge.ts';
export type { OperatorSpec__Output as OperatorSpec } from '../../proto/generated/sluice/control/OperatorSpec.ts';
export type { PartitionerKind__Output as PartitionerKind } from '../../proto/generated/sluice/control/PartitionerKind.ts';
export type { TaskDeployment__Output as TaskDeployment, TaskDeployment as TaskDeploymentInput } from '../../proto/generated/sluice/control/TaskDeployment.ts';
export type { InputGateSpec__Output as InputGateSpec } from '../../proto/generated/sluice/control/InputGateSpec.ts';
export type { InputChannelSpec__Output as InputChannelSpec } from '../../proto/generated/sluice/control/InputChannelSpec.ts';
export type { OutputSpec__Output as OutputSpec } from '../../proto/generated/sluice/control/OutputSpec.ts';
export type { JobStatus__Output as JobStatus, JobStatus as JobStatusInput } from '../../proto/generated/sluice/control/JobStatus.ts';
export type { TaskStatus__Output as TaskStatus, TaskStatus as TaskStatusInput } from '../../proto/generated/sluice/control/TaskStatus.ts';
export type { ChannelMessage__Output as ChannelMessage, ChannelMessage as ChannelMessageInput } from '../../proto/generated/sluice/data/ChannelMessage.ts';
export type { ChannelEvent__Output as ChannelEvent } from '../../proto/generated/sluice/data/ChannelEvent.ts';
export type { ConsumerMessage__Output as ConsumerMessage, ConsumerMessage as ConsumerMessageInput } from '../../proto/generated/sluice/data/ConsumerMessage.ts';
export type { CheckpointBarrier__Output as CheckpointBarrier } from '../../proto/generated/sluice/checkpoint/CheckpointBarrier.ts';
