// Original file: control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AcknowledgeCheckpointRequest as _sluice_control_AcknowledgeCheckpointRequest, AcknowledgeCheckpointRequest__Output as _sluice_control_AcknowledgeCheckpointRequest__Output } from '../../sluice/control/AcknowledgeCheckpointRequest';
import type { CollectPushRequest as _sluice_control_CollectPushRequest, CollectPushRequest__Output as _sluice_control_CollectPushRequest__Output } from '../../sluice/control/CollectPushRequest';
import type { CollectRequest as _sluice_control_CollectRequest, CollectRequest__Output as _sluice_control_CollectRequest__Output } from '../../sluice/control/CollectRequest';
import type { CollectResponse as _sluice_control_CollectResponse, CollectResponse__Output as _sluice_control_CollectResponse__Output } from '../../sluice/control/CollectResponse';
import type { DeclineCheckpointRequest as _sluice_control_DeclineCheckpointRequest, DeclineCheckpointRequest__Output as _sluice_control_DeclineCheckpointRequest__Output } from '../../sluice/control/DeclineCheckpointRequest';
import type { Empty as _sluice_control_Empty, Empty__Output as _sluice_control_Empty__Output } from '../../sluice/control/Empty';
import type { GetBundleRequest as _sluice_control_GetBundleRequest, GetBundleRequest__Output as _sluice_control_GetBundleRequest__Output } from '../../sluice/control/GetBundleRequest';
import type { GetBundleResponse as _sluice_control_GetBundleResponse, GetBundleResponse__Output as _sluice_control_GetBundleResponse__Output } from '../../sluice/control/GetBundleResponse';
import type { HeartbeatRequest as _sluice_control_HeartbeatRequest, HeartbeatRequest__Output as _sluice_control_HeartbeatRequest__Output } from '../../sluice/control/HeartbeatRequest';
import type { HeartbeatResponse as _sluice_control_HeartbeatResponse, HeartbeatResponse__Output as _sluice_control_HeartbeatResponse__Output } from '../../sluice/control/HeartbeatResponse';
import type { JobIdRequest as _sluice_control_JobIdRequest, JobIdRequest__Output as _sluice_control_JobIdRequest__Output } from '../../sluice/control/JobIdRequest';
import type { JobStatus as _sluice_control_JobStatus, JobStatus__Output as _sluice_control_JobStatus__Output } from '../../sluice/control/JobStatus';
import type { ListJobsResponse as _sluice_control_ListJobsResponse, ListJobsResponse__Output as _sluice_control_ListJobsResponse__Output } from '../../sluice/control/ListJobsResponse';
import type { RegisterTaskManagerRequest as _sluice_control_RegisterTaskManagerRequest, RegisterTaskManagerRequest__Output as _sluice_control_RegisterTaskManagerRequest__Output } from '../../sluice/control/RegisterTaskManagerRequest';
import type { RegisterTaskManagerResponse as _sluice_control_RegisterTaskManagerResponse, RegisterTaskManagerResponse__Output as _sluice_control_RegisterTaskManagerResponse__Output } from '../../sluice/control/RegisterTaskManagerResponse';
import type { RescaleRequest as _sluice_control_RescaleRequest, RescaleRequest__Output as _sluice_control_RescaleRequest__Output } from '../../sluice/control/RescaleRequest';
import type { RescaleResponse as _sluice_control_RescaleResponse, RescaleResponse__Output as _sluice_control_RescaleResponse__Output } from '../../sluice/control/RescaleResponse';
import type { SavepointRequest as _sluice_control_SavepointRequest, SavepointRequest__Output as _sluice_control_SavepointRequest__Output } from '../../sluice/control/SavepointRequest';
import type { SavepointResponse as _sluice_control_SavepointResponse, SavepointResponse__Output as _sluice_control_SavepointResponse__Output } from '../../sluice/control/SavepointResponse';
import type { SubmitJobRequest as _sluice_control_SubmitJobRequest, SubmitJobRequest__Output as _sluice_control_SubmitJobRequest__Output } from '../../sluice/control/SubmitJobRequest';
import type { SubmitJobResponse as _sluice_control_SubmitJobResponse, SubmitJobResponse__Output as _sluice_control_SubmitJobResponse__Output } from '../../sluice/control/SubmitJobResponse';
import type { TaskStateUpdate as _sluice_control_TaskStateUpdate, TaskStateUpdate__Output as _sluice_control_TaskStateUpdate__Output } from '../../sluice/control/TaskStateUpdate';

export interface JobManagerServiceClient extends grpc.Client {
  AcknowledgeCheckpoint(argument: _sluice_control_AcknowledgeCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  AcknowledgeCheckpoint(argument: _sluice_control_AcknowledgeCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  AcknowledgeCheckpoint(argument: _sluice_control_AcknowledgeCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  AcknowledgeCheckpoint(argument: _sluice_control_AcknowledgeCheckpointRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  acknowledgeCheckpoint(argument: _sluice_control_AcknowledgeCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  acknowledgeCheckpoint(argument: _sluice_control_AcknowledgeCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  acknowledgeCheckpoint(argument: _sluice_control_AcknowledgeCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  acknowledgeCheckpoint(argument: _sluice_control_AcknowledgeCheckpointRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
  CancelJob(argument: _sluice_control_JobIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _sluice_control_JobIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _sluice_control_JobIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _sluice_control_JobIdRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _sluice_control_JobIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _sluice_control_JobIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _sluice_control_JobIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _sluice_control_JobIdRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
  Collect(argument: _sluice_control_CollectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_CollectResponse__Output>): grpc.ClientUnaryCall;
  Collect(argument: _sluice_control_CollectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_CollectResponse__Output>): grpc.ClientUnaryCall;
  Collect(argument: _sluice_control_CollectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_CollectResponse__Output>): grpc.ClientUnaryCall;
  Collect(argument: _sluice_control_CollectRequest, callback: grpc.requestCallback<_sluice_control_CollectResponse__Output>): grpc.ClientUnaryCall;
  collect(argument: _sluice_control_CollectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_CollectResponse__Output>): grpc.ClientUnaryCall;
  collect(argument: _sluice_control_CollectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_CollectResponse__Output>): grpc.ClientUnaryCall;
  collect(argument: _sluice_control_CollectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_CollectResponse__Output>): grpc.ClientUnaryCall;
  collect(argument: _sluice_control_CollectRequest, callback: grpc.requestCallback<_sluice_control_CollectResponse__Output>): grpc.ClientUnaryCall;
  
  DeclineCheckpoint(argument: _sluice_control_DeclineCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  DeclineCheckpoint(argument: _sluice_control_DeclineCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  DeclineCheckpoint(argument: _sluice_control_DeclineCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  DeclineCheckpoint(argument: _sluice_control_DeclineCheckpointRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  declineCheckpoint(argument: _sluice_control_DeclineCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  declineCheckpoint(argument: _sluice_control_DeclineCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  declineCheckpoint(argument: _sluice_control_DeclineCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  declineCheckpoint(argument: _sluice_control_DeclineCheckpointRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
  GetBundle(argument: _sluice_control_GetBundleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_GetBundleResponse__Output>): grpc.ClientUnaryCall;
  GetBundle(argument: _sluice_control_GetBundleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_GetBundleResponse__Output>): grpc.ClientUnaryCall;
  GetBundle(argument: _sluice_control_GetBundleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_GetBundleResponse__Output>): grpc.ClientUnaryCall;
  GetBundle(argument: _sluice_control_GetBundleRequest, callback: grpc.requestCallback<_sluice_control_GetBundleResponse__Output>): grpc.ClientUnaryCall;
  getBundle(argument: _sluice_control_GetBundleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_GetBundleResponse__Output>): grpc.ClientUnaryCall;
  getBundle(argument: _sluice_control_GetBundleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_GetBundleResponse__Output>): grpc.ClientUnaryCall;
  getBundle(argument: _sluice_control_GetBundleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_GetBundleResponse__Output>): grpc.ClientUnaryCall;
  getBundle(argument: _sluice_control_GetBundleRequest, callback: grpc.requestCallback<_sluice_control_GetBundleResponse__Output>): grpc.ClientUnaryCall;
  
  GetJobStatus(argument: _sluice_control_JobIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_JobStatus__Output>): grpc.ClientUnaryCall;
  GetJobStatus(argument: _sluice_control_JobIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_JobStatus__Output>): grpc.ClientUnaryCall;
  GetJobStatus(argument: _sluice_control_JobIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_JobStatus__Output>): grpc.ClientUnaryCall;
  GetJobStatus(argument: _sluice_control_JobIdRequest, callback: grpc.requestCallback<_sluice_control_JobStatus__Output>): grpc.ClientUnaryCall;
  getJobStatus(argument: _sluice_control_JobIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_JobStatus__Output>): grpc.ClientUnaryCall;
  getJobStatus(argument: _sluice_control_JobIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_JobStatus__Output>): grpc.ClientUnaryCall;
  getJobStatus(argument: _sluice_control_JobIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_JobStatus__Output>): grpc.ClientUnaryCall;
  getJobStatus(argument: _sluice_control_JobIdRequest, callback: grpc.requestCallback<_sluice_control_JobStatus__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(argument: _sluice_control_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _sluice_control_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _sluice_control_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _sluice_control_HeartbeatRequest, callback: grpc.requestCallback<_sluice_control_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _sluice_control_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _sluice_control_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _sluice_control_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _sluice_control_HeartbeatRequest, callback: grpc.requestCallback<_sluice_control_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  ListJobs(argument: _sluice_control_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _sluice_control_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _sluice_control_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _sluice_control_Empty, callback: grpc.requestCallback<_sluice_control_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _sluice_control_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _sluice_control_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _sluice_control_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _sluice_control_Empty, callback: grpc.requestCallback<_sluice_control_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  
  PushCollected(argument: _sluice_control_CollectPushRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  PushCollected(argument: _sluice_control_CollectPushRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  PushCollected(argument: _sluice_control_CollectPushRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  PushCollected(argument: _sluice_control_CollectPushRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  pushCollected(argument: _sluice_control_CollectPushRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  pushCollected(argument: _sluice_control_CollectPushRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  pushCollected(argument: _sluice_control_CollectPushRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  pushCollected(argument: _sluice_control_CollectPushRequest, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
  RegisterTaskManager(argument: _sluice_control_RegisterTaskManagerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_RegisterTaskManagerResponse__Output>): grpc.ClientUnaryCall;
  RegisterTaskManager(argument: _sluice_control_RegisterTaskManagerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_RegisterTaskManagerResponse__Output>): grpc.ClientUnaryCall;
  RegisterTaskManager(argument: _sluice_control_RegisterTaskManagerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_RegisterTaskManagerResponse__Output>): grpc.ClientUnaryCall;
  RegisterTaskManager(argument: _sluice_control_RegisterTaskManagerRequest, callback: grpc.requestCallback<_sluice_control_RegisterTaskManagerResponse__Output>): grpc.ClientUnaryCall;
  registerTaskManager(argument: _sluice_control_RegisterTaskManagerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_RegisterTaskManagerResponse__Output>): grpc.ClientUnaryCall;
  registerTaskManager(argument: _sluice_control_RegisterTaskManagerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_RegisterTaskManagerResponse__Output>): grpc.ClientUnaryCall;
  registerTaskManager(argument: _sluice_control_RegisterTaskManagerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_RegisterTaskManagerResponse__Output>): grpc.ClientUnaryCall;
  registerTaskManager(argument: _sluice_control_RegisterTaskManagerRequest, callback: grpc.requestCallback<_sluice_control_RegisterTaskManagerResponse__Output>): grpc.ClientUnaryCall;
  
  RescaleJob(argument: _sluice_control_RescaleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_RescaleResponse__Output>): grpc.ClientUnaryCall;
  RescaleJob(argument: _sluice_control_RescaleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_RescaleResponse__Output>): grpc.ClientUnaryCall;
  RescaleJob(argument: _sluice_control_RescaleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_RescaleResponse__Output>): grpc.ClientUnaryCall;
  RescaleJob(argument: _sluice_control_RescaleRequest, callback: grpc.requestCallback<_sluice_control_RescaleResponse__Output>): grpc.ClientUnaryCall;
  rescaleJob(argument: _sluice_control_RescaleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_RescaleResponse__Output>): grpc.ClientUnaryCall;
  rescaleJob(argument: _sluice_control_RescaleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_RescaleResponse__Output>): grpc.ClientUnaryCall;
  rescaleJob(argument: _sluice_control_RescaleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_RescaleResponse__Output>): grpc.ClientUnaryCall;
  rescaleJob(argument: _sluice_control_RescaleRequest, callback: grpc.requestCallback<_sluice_control_RescaleResponse__Output>): grpc.ClientUnaryCall;
  
  SubmitJob(argument: _sluice_control_SubmitJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _sluice_control_SubmitJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _sluice_control_SubmitJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _sluice_control_SubmitJobRequest, callback: grpc.requestCallback<_sluice_control_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _sluice_control_SubmitJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _sluice_control_SubmitJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _sluice_control_SubmitJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _sluice_control_SubmitJobRequest, callback: grpc.requestCallback<_sluice_control_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  
  TriggerSavepoint(argument: _sluice_control_SavepointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_SavepointResponse__Output>): grpc.ClientUnaryCall;
  TriggerSavepoint(argument: _sluice_control_SavepointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_SavepointResponse__Output>): grpc.ClientUnaryCall;
  TriggerSavepoint(argument: _sluice_control_SavepointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_SavepointResponse__Output>): grpc.ClientUnaryCall;
  TriggerSavepoint(argument: _sluice_control_SavepointRequest, callback: grpc.requestCallback<_sluice_control_SavepointResponse__Output>): grpc.ClientUnaryCall;
  triggerSavepoint(argument: _sluice_control_SavepointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_SavepointResponse__Output>): grpc.ClientUnaryCall;
  triggerSavepoint(argument: _sluice_control_SavepointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_SavepointResponse__Output>): grpc.ClientUnaryCall;
  triggerSavepoint(argument: _sluice_control_SavepointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_SavepointResponse__Output>): grpc.ClientUnaryCall;
  triggerSavepoint(argument: _sluice_control_SavepointRequest, callback: grpc.requestCallback<_sluice_control_SavepointResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateTaskState(argument: _sluice_control_TaskStateUpdate, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  UpdateTaskState(argument: _sluice_control_TaskStateUpdate, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  UpdateTaskState(argument: _sluice_control_TaskStateUpdate, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  UpdateTaskState(argument: _sluice_control_TaskStateUpdate, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  updateTaskState(argument: _sluice_control_TaskStateUpdate, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  updateTaskState(argument: _sluice_control_TaskStateUpdate, metadata: grpc.Metadata, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  updateTaskState(argument: _sluice_control_TaskStateUpdate, options: grpc.CallOptions, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  updateTaskState(argument: _sluice_control_TaskStateUpdate, callback: grpc.requestCallback<_sluice_control_Empty__Output>): grpc.ClientUnaryCall;
  
}

export interface JobManagerServiceHandlers extends grpc.UntypedServiceImplementation {
  AcknowledgeCheckpoint: grpc.handleUnaryCall<_sluice_control_AcknowledgeCheckpointRequest__Output, _sluice_control_Empty>;
  
  CancelJob: grpc.handleUnaryCall<_sluice_control_JobIdRequest__Output, _sluice_control_Empty>;
  
  Collect: grpc.handleUnaryCall<_sluice_control_CollectRequest__Output, _sluice_control_CollectResponse>;
  
  DeclineCheckpoint: grpc.handleUnaryCall<_sluice_control_DeclineCheckpointRequest__Output, _sluice_control_Empty>;
  
  GetBundle: grpc.handleUnaryCall<_sluice_control_GetBundleRequest__Output, _sluice_control_GetBundleResponse>;
  
  GetJobStatus: grpc.handleUnaryCall<_sluice_control_JobIdRequest__Output, _sluice_control_JobStatus>;
  
  Heartbeat: grpc.handleUnaryCall<_sluice_control_HeartbeatRequest__Output, _sluice_control_HeartbeatResponse>;
  
  ListJobs: grpc.handleUnaryCall<_sluice_control_Empty__Output, _sluice_control_ListJobsResponse>;
  
  PushCollected: grpc.handleUnaryCall<_sluice_control_CollectPushRequest__Output, _sluice_control_Empty>;
  
  RegisterTaskManager: grpc.handleUnaryCall<_sluice_control_RegisterTaskManagerRequest__Output, _sluice_control_RegisterTaskManagerResponse>;
  
  RescaleJob: grpc.handleUnaryCall<_sluice_control_RescaleRequest__Output, _sluice_control_RescaleResponse>;
  
  SubmitJob: grpc.handleUnaryCall<_sluice_control_SubmitJobRequest__Output, _sluice_control_SubmitJobResponse>;
  
  TriggerSavepoint: grpc.handleUnaryCall<_sluice_control_SavepointRequest__Output, _sluice_control_SavepointResponse>;
  
  UpdateTaskState: grpc.handleUnaryCall<_sluice_control_TaskStateUpdate__Output, _sluice_control_Empty>;
  
}

export interface JobManagerServiceDefinition extends grpc.ServiceDefinition {
  AcknowledgeCheckpoint: MethodDefinition<_sluice_control_AcknowledgeCheckpointRequest, _sluice_control_Empty, _sluice_control_AcknowledgeCheckpointRequest__Output, _sluice_control_Empty__Output>
  CancelJob: MethodDefinition<_sluice_control_JobIdRequest, _sluice_control_Empty, _sluice_control_JobIdRequest__Output, _sluice_control_Empty__Output>
  Collect: MethodDefinition<_sluice_control_CollectRequest, _sluice_control_CollectResponse, _sluice_control_CollectRequest__Output, _sluice_control_CollectResponse__Output>
  DeclineCheckpoint: MethodDefinition<_sluice_control_DeclineCheckpointRequest, _sluice_control_Empty, _sluice_control_DeclineCheckpointRequest__Output, _sluice_control_Empty__Output>
  GetBundle: MethodDefinition<_sluice_control_GetBundleRequest, _sluice_control_GetBundleResponse, _sluice_control_GetBundleRequest__Output, _sluice_control_GetBundleResponse__Output>
  GetJobStatus: MethodDefinition<_sluice_control_JobIdRequest, _sluice_control_JobStatus, _sluice_control_JobIdRequest__Output, _sluice_control_JobStatus__Output>
  Heartbeat: MethodDefinition<_sluice_control_HeartbeatRequest, _sluice_control_HeartbeatResponse, _sluice_control_HeartbeatRequest__Output, _sluice_control_HeartbeatResponse__Output>
  ListJobs: MethodDefinition<_sluice_control_Empty, _sluice_control_ListJobsResponse, _sluice_control_Empty__Output, _sluice_control_ListJobsResponse__Output>
  PushCollected: MethodDefinition<_sluice_control_CollectPushRequest, _sluice_control_Empty, _sluice_control_CollectPushRequest__Output, _sluice_control_Empty__Output>
  RegisterTaskManager: MethodDefinition<_sluice_control_RegisterTaskManagerRequest, _sluice_control_RegisterTaskManagerResponse, _sluice_control_RegisterTaskManagerRequest__Output, _sluice_control_RegisterTaskManagerResponse__Output>
  RescaleJob: MethodDefinition<_sluice_control_RescaleRequest, _sluice_control_RescaleResponse, _sluice_control_RescaleRequest__Output, _sluice_control_RescaleResponse__Output>
  SubmitJob: MethodDefinition<_sluice_control_SubmitJobRequest, _sluice_control_SubmitJobResponse, _sluice_control_SubmitJobRequest__Output, _sluice_control_SubmitJobResponse__Output>
  TriggerSavepoint: MethodDefinition<_sluice_control_SavepointRequest, _sluice_control_SavepointResponse, _sluice_control_SavepointRequest__Output, _sluice_control_SavepointResponse__Output>
  UpdateTaskState: MethodDefinition<_sluice_control_TaskStateUpdate, _sluice_control_Empty, _sluice_control_TaskStateUpdate__Output, _sluice_control_Empty__Output>
}
