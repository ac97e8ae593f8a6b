import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CheckpointBarrier as _sluice_checkpoint_CheckpointBarrier, CheckpointBarrier__Output as _sluice_checkpoint_CheckpointBarrier__Output } from './sluice/checkpoint/CheckpointBarrier';
import type { CheckpointMetadata as _sluice_checkpoint_CheckpointMetadata, CheckpointMetadata__Output as _sluice_checkpoint_CheckpointMetadata__Output } from './sluice/checkpoint/CheckpointMetadata';
import type { KeyGroupRange as _sluice_checkpoint_KeyGroupRange, KeyGroupRange__Output as _sluice_checkpoint_KeyGroupRange__Output } from './sluice/checkpoint/KeyGroupRange';
import type { KeyedStateFile as _sluice_checkpoint_KeyedStateFile, KeyedStateFile__Output as _sluice_checkpoint_KeyedStateFile__Output } from './sluice/checkpoint/KeyedStateFile';
import type { KeyedStateHandle as _sluice_checkpoint_KeyedStateHandle, KeyedStateHandle__Output as _sluice_checkpoint_KeyedStateHandle__Output } from './sluice/checkpoint/KeyedStateHandle';
import type { OperatorCheckpointState as _sluice_checkpoint_OperatorCheckpointState, OperatorCheckpointState__Output as _sluice_checkpoint_OperatorCheckpointState__Output } from './sluice/checkpoint/OperatorCheckpointState';
import type { OperatorListState as _sluice_checkpoint_OperatorListState, OperatorListState__Output as _sluice_checkpoint_OperatorListState__Output } from './sluice/checkpoint/OperatorListState';
import type { OperatorRestoreState as _sluice_checkpoint_OperatorRestoreState, OperatorRestoreState__Output as _sluice_checkpoint_OperatorRestoreState__Output } from './sluice/checkpoint/OperatorRestoreState';
import type { OperatorSubtaskState as _sluice_checkpoint_OperatorSubtaskState, OperatorSubtaskState__Output as _sluice_checkpoint_OperatorSubtaskState__Output } from './sluice/checkpoint/OperatorSubtaskState';
import type { TaskRestore as _sluice_checkpoint_TaskRestore, TaskRestore__Output as _sluice_checkpoint_TaskRestore__Output } from './sluice/checkpoint/TaskRestore';
import type { AcknowledgeCheckpointRequest as _sluice_control_AcknowledgeCheckpointRequest, AcknowledgeCheckpointRequest__Output as _sluice_control_AcknowledgeCheckpointRequest__Output } from './sluice/control/AcknowledgeCheckpointRequest';
import type { CancelTaskRequest as _sluice_control_CancelTaskRequest, CancelTaskRequest__Output as _sluice_control_CancelTaskRequest__Output } from './sluice/control/CancelTaskRequest';
import type { CheckpointCounts as _sluice_control_CheckpointCounts, CheckpointCounts__Output as _sluice_control_CheckpointCounts__Output } from './sluice/control/CheckpointCounts';
import type { CollectPushRequest as _sluice_control_CollectPushRequest, CollectPushRequest__Output as _sluice_control_CollectPushRequest__Output } from './sluice/control/CollectPushRequest';
import type { CollectRequest as _sluice_control_CollectRequest, CollectRequest__Output as _sluice_control_CollectRequest__Output } from './sluice/control/CollectRequest';
import type { CollectResponse as _sluice_control_CollectResponse, CollectResponse__Output as _sluice_control_CollectResponse__Output } from './sluice/control/CollectResponse';
import type { CompletedCheckpointInfo as _sluice_control_CompletedCheckpointInfo, CompletedCheckpointInfo__Output as _sluice_control_CompletedCheckpointInfo__Output } from './sluice/control/CompletedCheckpointInfo';
import type { DeclineCheckpointRequest as _sluice_control_DeclineCheckpointRequest, DeclineCheckpointRequest__Output as _sluice_control_DeclineCheckpointRequest__Output } from './sluice/control/DeclineCheckpointRequest';
import type { Empty as _sluice_control_Empty, Empty__Output as _sluice_control_Empty__Output } from './sluice/control/Empty';
import type { GetBundleRequest as _sluice_control_GetBundleRequest, GetBundleRequest__Output as _sluice_control_GetBundleRequest__Output } from './sluice/control/GetBundleRequest';
import type { GetBundleResponse as _sluice_control_GetBundleResponse, GetBundleResponse__Output as _sluice_control_GetBundleResponse__Output } from './sluice/control/GetBundleResponse';
import type { HeartbeatRequest as _sluice_control_HeartbeatRequest, HeartbeatRequest__Output as _sluice_control_HeartbeatRequest__Output } from './sluice/control/HeartbeatRequest';
import type { HeartbeatResponse as _sluice_control_HeartbeatResponse, HeartbeatResponse__Output as _sluice_control_HeartbeatResponse__Output } from './sluice/control/HeartbeatResponse';
import type { InputChannelSpec as _sluice_control_InputChannelSpec, InputChannelSpec__Output as _sluice_control_InputChannelSpec__Output } from './sluice/control/InputChannelSpec';
import type { InputGateSpec as _sluice_control_InputGateSpec, InputGateSpec__Output as _sluice_control_InputGateSpec__Output } from './sluice/control/InputGateSpec';
import type { JobEdge as _sluice_control_JobEdge, JobEdge__Output as _sluice_control_JobEdge__Output } from './sluice/control/JobEdge';
import type { JobGraph as _sluice_control_JobGraph, JobGraph__Output as _sluice_control_JobGraph__Output } from './sluice/control/JobGraph';
import type { JobIdRequest as _sluice_control_JobIdRequest, JobIdRequest__Output as _sluice_control_JobIdRequest__Output } from './sluice/control/JobIdRequest';
import type { JobManagerServiceClient as _sluice_control_JobManagerServiceClient, JobManagerServiceDefinition as _sluice_control_JobManagerServiceDefinition } from './sluice/control/JobManagerService';
import type { JobSettings as _sluice_control_JobSettings, JobSettings__Output as _sluice_control_JobSettings__Output } from './sluice/control/JobSettings';
import type { JobStatus as _sluice_control_JobStatus, JobStatus__Output as _sluice_control_JobStatus__Output } from './sluice/control/JobStatus';
import type { JobVertex as _sluice_control_JobVertex, JobVertex__Output as _sluice_control_JobVertex__Output } from './sluice/control/JobVertex';
import type { ListJobsResponse as _sluice_control_ListJobsResponse, ListJobsResponse__Output as _sluice_control_ListJobsResponse__Output } from './sluice/control/ListJobsResponse';
import type { NotifyCheckpointRequest as _sluice_control_NotifyCheckpointRequest, NotifyCheckpointRequest__Output as _sluice_control_NotifyCheckpointRequest__Output } from './sluice/control/NotifyCheckpointRequest';
import type { OperatorSpec as _sluice_control_OperatorSpec, OperatorSpec__Output as _sluice_control_OperatorSpec__Output } from './sluice/control/OperatorSpec';
import type { OutputSpec as _sluice_control_OutputSpec, OutputSpec__Output as _sluice_control_OutputSpec__Output } from './sluice/control/OutputSpec';
import type { QueryStateRequest as _sluice_control_QueryStateRequest, QueryStateRequest__Output as _sluice_control_QueryStateRequest__Output } from './sluice/control/QueryStateRequest';
import type { QueryStateResponse as _sluice_control_QueryStateResponse, QueryStateResponse__Output as _sluice_control_QueryStateResponse__Output } from './sluice/control/QueryStateResponse';
import type { RegisterTaskManagerRequest as _sluice_control_RegisterTaskManagerRequest, RegisterTaskManagerRequest__Output as _sluice_control_RegisterTaskManagerRequest__Output } from './sluice/control/RegisterTaskManagerRequest';
import type { RegisterTaskManagerResponse as _sluice_control_RegisterTaskManagerResponse, RegisterTaskManagerResponse__Output as _sluice_control_RegisterTaskManagerResponse__Output } from './sluice/control/RegisterTaskManagerResponse';
import type { ReleaseJobRequest as _sluice_control_ReleaseJobRequest, ReleaseJobRequest__Output as _sluice_control_ReleaseJobRequest__Output } from './sluice/control/ReleaseJobRequest';
import type { RescaleRequest as _sluice_control_RescaleRequest, RescaleRequest__Output as _sluice_control_RescaleRequest__Output } from './sluice/control/RescaleRequest';
import type { RescaleResponse as _sluice_control_RescaleResponse, RescaleResponse__Output as _sluice_control_RescaleResponse__Output } from './sluice/control/RescaleResponse';
import type { SavepointRequest as _sluice_control_SavepointRequest, SavepointRequest__Output as _sluice_control_SavepointRequest__Output } from './sluice/control/SavepointRequest';
import type { SavepointResponse as _sluice_control_SavepointResponse, SavepointResponse__Output as _sluice_control_SavepointResponse__Output } from './sluice/control/SavepointResponse';
import type { SubmitJobRequest as _sluice_control_SubmitJobRequest, SubmitJobRequest__Output as _sluice_control_SubmitJobRequest__Output } from './sluice/control/SubmitJobRequest';
import type { SubmitJobResponse as _sluice_control_SubmitJobResponse, SubmitJobResponse__Output as _sluice_control_SubmitJobResponse__Output } from './sluice/control/SubmitJobResponse';
import type { TaskDeployment as _sluice_control_TaskDeployment, TaskDeployment__Output as _sluice_control_TaskDeployment__Output } from './sluice/control/TaskDeployment';
import type { TaskManagerServiceClient as _sluice_control_TaskManagerServiceClient, TaskManagerServiceDefinition as _sluice_control_TaskManagerServiceDefinition } from './sluice/control/TaskManagerService';
import type { TaskMetricsReport as _sluice_control_TaskMetricsReport, TaskMetricsReport__Output as _sluice_control_TaskMetricsReport__Output } from './sluice/control/TaskMetricsReport';
import type { TaskStateUpdate as _sluice_control_TaskStateUpdate, TaskStateUpdate__Output as _sluice_control_TaskStateUpdate__Output } from './sluice/control/TaskStateUpdate';
import type { TaskStatus as _sluice_control_TaskStatus, TaskStatus__Output as _sluice_control_TaskStatus__Output } from './sluice/control/TaskStatus';
import type { TriggerCheckpointRequest as _sluice_control_TriggerCheckpointRequest, TriggerCheckpointRequest__Output as _sluice_control_TriggerCheckpointRequest__Output } from './sluice/control/TriggerCheckpointRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  sluice: {
    checkpoint: {
      CheckpointBarrier: MessageTypeDefinition<_sluice_checkpoint_CheckpointBarrier, _sluice_checkpoint_CheckpointBarrier__Output>
      CheckpointMetadata: MessageTypeDefinition<_sluice_checkpoint_CheckpointMetadata, _sluice_checkpoint_CheckpointMetadata__Output>
      KeyGroupRange: MessageTypeDefinition<_sluice_checkpoint_KeyGroupRange, _sluice_checkpoint_KeyGroupRange__Output>
      KeyedStateFile: MessageTypeDefinition<_sluice_checkpoint_KeyedStateFile, _sluice_checkpoint_KeyedStateFile__Output>
      KeyedStateFileKind: EnumTypeDefinition
      KeyedStateHandle: MessageTypeDefinition<_sluice_checkpoint_KeyedStateHandle, _sluice_checkpoint_KeyedStateHandle__Output>
      OperatorCheckpointState: MessageTypeDefinition<_sluice_checkpoint_OperatorCheckpointState, _sluice_checkpoint_OperatorCheckpointState__Output>
      OperatorListState: MessageTypeDefinition<_sluice_checkpoint_OperatorListState, _sluice_checkpoint_OperatorListState__Output>
      OperatorRestoreState: MessageTypeDefinition<_sluice_checkpoint_OperatorRestoreState, _sluice_checkpoint_OperatorRestoreState__Output>
      OperatorStateMode: EnumTypeDefinition
      OperatorSubtaskState: MessageTypeDefinition<_sluice_checkpoint_OperatorSubtaskState, _sluice_checkpoint_OperatorSubtaskState__Output>
      TaskRestore: MessageTypeDefinition<_sluice_checkpoint_TaskRestore, _sluice_checkpoint_TaskRestore__Output>
    }
    control: {
      AcknowledgeCheckpointRequest: MessageTypeDefinition<_sluice_control_AcknowledgeCheckpointRequest, _sluice_control_AcknowledgeCheckpointRequest__Output>
      CancelTaskRequest: MessageTypeDefinition<_sluice_control_CancelTaskRequest, _sluice_control_CancelTaskRequest__Output>
      CheckpointCounts: MessageTypeDefinition<_sluice_control_CheckpointCounts, _sluice_control_CheckpointCounts__Output>
      CollectPushRequest: MessageTypeDefinition<_sluice_control_CollectPushRequest, _sluice_control_CollectPushRequest__Output>
      CollectRequest: MessageTypeDefinition<_sluice_control_CollectRequest, _sluice_control_CollectRequest__Output>
      CollectResponse: MessageTypeDefinition<_sluice_control_CollectResponse, _sluice_control_CollectResponse__Output>
      CompletedCheckpointInfo: MessageTypeDefinition<_sluice_control_CompletedCheckpointInfo, _sluice_control_CompletedCheckpointInfo__Output>
      DeclineCheckpointRequest: MessageTypeDefinition<_sluice_control_DeclineCheckpointRequest, _sluice_control_DeclineCheckpointRequest__Output>
      Empty: MessageTypeDefinition<_sluice_control_Empty, _sluice_control_Empty__Output>
      GetBundleRequest: MessageTypeDefinition<_sluice_control_GetBundleRequest, _sluice_control_GetBundleRequest__Output>
      GetBundleResponse: MessageTypeDefinition<_sluice_control_GetBundleResponse, _sluice_control_GetBundleResponse__Output>
      HeartbeatRequest: MessageTypeDefinition<_sluice_control_HeartbeatRequest, _sluice_control_HeartbeatRequest__Output>
      HeartbeatResponse: MessageTypeDefinition<_sluice_control_HeartbeatResponse, _sluice_control_HeartbeatResponse__Output>
      InputChannelSpec: MessageTypeDefinition<_sluice_control_InputChannelSpec, _sluice_control_InputChannelSpec__Output>
      InputGateSpec: MessageTypeDefinition<_sluice_control_InputGateSpec, _sluice_control_InputGateSpec__Output>
      JobEdge: MessageTypeDefinition<_sluice_control_JobEdge, _sluice_control_JobEdge__Output>
      JobGraph: MessageTypeDefinition<_sluice_control_JobGraph, _sluice_control_JobGraph__Output>
      JobIdRequest: MessageTypeDefinition<_sluice_control_JobIdRequest, _sluice_control_JobIdRequest__Output>
      JobManagerService: SubtypeConstructor<typeof grpc.Client, _sluice_control_JobManagerServiceClient> & { service: _sluice_control_JobManagerServiceDefinition }
      JobSettings: MessageTypeDefinition<_sluice_control_JobSettings, _sluice_control_JobSettings__Output>
      JobStatus: MessageTypeDefinition<_sluice_control_JobStatus, _sluice_control_JobStatus__Output>
      JobVertex: MessageTypeDefinition<_sluice_control_JobVertex, _sluice_control_JobVertex__Output>
      ListJobsResponse: MessageTypeDefinition<_sluice_control_ListJobsResponse, _sluice_control_ListJobsResponse__Output>
      NotifyCheckpointRequest: MessageTypeDefinition<_sluice_control_NotifyCheckpointRequest, _sluice_control_NotifyCheckpointRequest__Output>
      OperatorSpec: MessageTypeDefinition<_sluice_control_OperatorSpec, _sluice_control_OperatorSpec__Output>
      OutputSpec: MessageTypeDefinition<_sluice_control_OutputSpec, _sluice_control_OutputSpec__Output>
      PartitionerKind: EnumTypeDefinition
      QueryStateRequest: MessageTypeDefinition<_sluice_control_QueryStateRequest, _sluice_control_QueryStateRequest__Output>
      QueryStateResponse: MessageTypeDefinition<_sluice_control_QueryStateResponse, _sluice_control_QueryStateResponse__Output>
      RegisterTaskManagerRequest: MessageTypeDefinition<_sluice_control_RegisterTaskManagerRequest, _sluice_control_RegisterTaskManagerRequest__Output>
      RegisterTaskManagerResponse: MessageTypeDefinition<_sluice_control_RegisterTaskManagerResponse, _sluice_control_RegisterTaskManagerResponse__Output>
      ReleaseJobRequest: MessageTypeDefinition<_sluice_control_ReleaseJobRequest, _sluice_control_ReleaseJobRequest__Output>
      RescaleRequest: MessageTypeDefinition<_sluice_control_RescaleRequest, _sluice_control_RescaleRequest__Output>
      RescaleResponse: MessageTypeDefinition<_sluice_control_RescaleResponse, _sluice_control_RescaleResponse__Output>
      SavepointRequest: MessageTypeDefinition<_sluice_control_SavepointRequest, _sluice_control_SavepointRequest__Output>
      SavepointResponse: MessageTypeDefinition<_sluice_control_SavepointResponse, _sluice_control_SavepointResponse__Output>
      SubmitJobRequest: MessageTypeDefinition<_sluice_control_SubmitJobRequest, _sluice_control_SubmitJobRequest__Output>
      SubmitJobResponse: MessageTypeDefinition<_sluice_control_SubmitJobResponse, _sluice_control_SubmitJobResponse__Output>
      TaskDeployment: MessageTypeDefinition<_sluice_control_TaskDeployment, _sluice_control_TaskDeployment__Output>
      TaskManagerService: SubtypeConstructor<typeof grpc.Client, _sluice_control_TaskManagerServiceClient> & { service: _sluice_control_TaskManagerServiceDefinition }
      TaskMetricsReport: MessageTypeDefinition<_sluice_control_TaskMetricsReport, _sluice_control_TaskMetricsReport__Output>
      TaskStateUpdate: MessageTypeDefinition<_sluice_control_TaskStateUpdate, _sluice_control_TaskStateUpdate__Output>
      TaskStatus: MessageTypeDefinition<_sluice_control_TaskStatus, _sluice_control_TaskStatus__Output>
      TriggerCheckpointRequest: MessageTypeDefinition<_sluice_control_TriggerCheckpointRequest, _sluice_control_TriggerCheckpointRequest__Output>
    }
  }
}

