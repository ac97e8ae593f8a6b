// Original file: control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelTaskRequest as _sluice_control_CancelTaskRequest, CancelTaskRequest__Output as _sluice_control_CancelTaskRequest__Output } from '../../sluice/control/CancelTaskRequest';
import type { Empty as _sluice_control_Empty, Empty__Output as _sluice_control_Empty__Output } from '../../sluice/control/Empty';
import type { NotifyCheckpointRequest as _sluice_control_NotifyCheckpointRequest, NotifyCheckpointRequest__Output as _sluice_control_NotifyCheckpointRequest__Output } from '../../sluice/control/NotifyCheckpointRequest';
import type { QueryStateRequest as _sluice_control_QueryStateRequest, QueryStateRequest__Output as _sluice_control_QueryStateRequest__Output } from '../../sluice/control/QueryStateRequest';
import type { QueryStateResponse as _sluice_control_QueryStateResponse, QueryStateResponse__Output as _sluice_control_QueryStateResponse__Output } from '../../sluice/control/QueryStateResponse';
import type { ReleaseJobRequest as _sluice_control_ReleaseJobRequest, ReleaseJobRequest__Output as _sluice_control_ReleaseJobRequest__Output } from '../../sluice/control/ReleaseJobRequest';
import type { TaskDeployment as _sluice_control_TaskDeployment, TaskDeployment__Output as _sluice_control_TaskDeployment__Output } from '../../sluice/control/TaskDeployment';
import type { TriggerCheckpointRequest as _sluice_control_TriggerCheckpointRequest, TriggerCheckpointRequest__Output as _sluice_control_TriggerCheckpointRequest__Output } from '../../sluice/control/TriggerCheckpointRequest';

export interface TaskManagerServiceClient extends grpc.Client {
  CancelTask(argument: _sluice_control_CancelTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  CancelTask(argument: _sluice_control_CancelTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  CancelTask(argument: _sluice_control_CancelTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  CancelTask(argument: _sluice_control_CancelTaskRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _sluice_control_CancelTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _sluice_control_CancelTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _sluice_control_CancelTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  cancelTask(argument: _sluice_control_CancelTaskRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
  DeployTask(argument: _sluice_control_TaskDeployment, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  DeployTask(argument: _sluice_control_TaskDeployment, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  DeployTask(argument: _sluice_control_TaskDeployment, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  DeployTask(argument: _sluice_control_TaskDeployment, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  deployTask(argument: _sluice_control_TaskDeployment, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  deployTask(argument: _sluice_control_TaskDeployment, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  deployTask(argument: _sluice_control_TaskDeployment, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  deployTask(argument: _sluice_control_TaskDeployment, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
  NotifyCheckpoint(argument: _sluice_control_NotifyCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  NotifyCheckpoint(argument: _sluice_control_NotifyCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  NotifyCheckpoint(argument: _sluice_control_NotifyCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  NotifyCheckpoint(argument: _sluice_control_NotifyCheckpointRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  notifyCheckpoint(argument: _sluice_control_NotifyCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  notifyCheckpoint(argument: _sluice_control_NotifyCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  notifyCheckpoint(argument: _sluice_control_NotifyCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  notifyCheckpoint(argument: _sluice_control_NotifyCheckpointRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
  QueryState(argument: _sluice_control_QueryStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_QueryStateResponse__Output>): grpc.ClientUnaryCall;
  QueryState(argument: _sluice_control_QueryStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_QueryStateResponse__Output>): grpc.ClientUnaryCall;
  QueryState(argument: _sluice_control_QueryStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_QueryStateResponse__Output>): grpc.ClientUnaryCall;
  QueryState(argument: _sluice_control_QueryStateRequest, callback: grpc.requestCallback<_sluice_control_QueryStateResponse__Output>): grpc.ClientUnaryCall;
  queryState(argument: _sluice_control_QueryStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_QueryStateResponse__Output>): grpc.ClientUnaryCall;
  queryState(argument: _sluice_control_QueryStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_QueryStateResponse__Output>): grpc.ClientUnaryCall;
  queryState(argument: _sluice_control_QueryStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_QueryStateResponse__Output>): grpc.ClientUnaryCall;
  queryState(argument: _sluice_control_QueryStateRequest, callback: grpc.requestCallback<_sluice_control_QueryStateResponse__Output>): grpc.ClientUnaryCall;
  
  ReleaseJob(argument: _sluice_control_ReleaseJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  ReleaseJob(argument: _sluice_control_ReleaseJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  ReleaseJob(argument: _sluice_control_ReleaseJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  ReleaseJob(argument: _sluice_control_ReleaseJobRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  releaseJob(argument: _sluice_control_ReleaseJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  releaseJob(argument: _sluice_control_ReleaseJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  releaseJob(argument: _sluice_control_ReleaseJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  releaseJob(argument: _sluice_control_ReleaseJobRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
  TriggerCheckpoint(argument: _sluice_control_TriggerCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  TriggerCheckpoint(argument: _sluice_control_TriggerCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  TriggerCheckpoint(argument: _sluice_control_TriggerCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  TriggerCheckpoint(argument: _sluice_control_TriggerCheckpointRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  triggerCheckpoint(argument: _sluice_control_TriggerCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  triggerCheckpoint(argument: _sluice_control_TriggerCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  triggerCheckpoint(argument: _sluice_control_TriggerCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  triggerCheckpoint(argument: _sluice_control_TriggerCheckpointRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
}

export interface TaskManagerServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelTask: grpc.handleUnaryCall<_sluice_control_CancelTaskRequest__Output, _sluice_control_Empty>;
  
  DeployTask: grpc.handleUnaryCall<_sluice_control_TaskDeployment__Output, _sluice_control_Empty>;
  
  NotifyCheckpoint: grpc.handleUnaryCall<_sluice_control_NotifyCheckpointRequest__Output, _sluice_control_Empty>;
  
  QueryState: grpc.handleUnaryCall<_sluice_control_QueryStateRequest__Output, _sluice_control_QueryStateResponse>;
  
  ReleaseJob: grpc.handleUnaryCall<_sluice_control_ReleaseJobRequest__Output, _sluice_control_Empty>;
  
  TriggerCheckpoint: grpc.handleUnaryCall<_sluice_control_TriggerCheckpointRequest__Output, _sluice_control_Empty>;
  
}

export interface TaskManagerServiceDefinition extends grpc.ServiceDefinition {
  CancelTask: MethodDefinition<_sluice_control_CancelTaskRequest, _sluice_control_Empty, _sluice_control_CancelTaskRequest__Output, _sluice_control_Empty__Output>
  DeployTask: MethodDefinition<_sluice_control_TaskDeployment, _sluice_control_Empty, _sluice_control_TaskDeployment__Output, _sluice_control_Empty__Output>
  NotifyCheckpoint: MethodDefinition<_sluice_control_NotifyCheckpointRequest, _sluice_control_Empty, _sluice_control_NotifyCheckpointRequest__Output, _sluice_control_Empty__Output>
  QueryState: MethodDefinition<_sluice_control_QueryStateRequest, _sluice_control_QueryStateResponse, _sluice_control_QueryStateRequest__Output, _sluice_control_QueryStateResponse__Output>
  ReleaseJob: MethodDefinition<_sluice_control_ReleaseJobRequest, _sluice_control_Empty, _sluice_control_ReleaseJobRequest__Output, _sluice_control_Empty__Output>
  TriggerCheckpoint: MethodDefinition<_sluice_control_TriggerCheckpointRequest, _sluice_control_Empty, _sluice_control_TriggerCheckpointRequest__Output, _sluice_control_Empty__Output>
}
