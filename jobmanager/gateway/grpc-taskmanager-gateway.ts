/** The gRPC adapter of the TaskManagerGateway. */
import type { TaskDeploymentInput } from '../../common/rpc/index.ts';
import { channelCredentials, clientChannelOptions } from '../../common/rpc/grpc-security.ts';
import { controlProto } from '../../common/rpc/proto.ts';
import type { SecurityConfig } from '../../common/security/security-config.ts';
import { callUnary } from '../../common/rpc/unary.ts';
import type { TaskManagerServiceClient } from '../../proto/generated/sluice/control/TaskManagerService.ts';
import type { CheckpointNotification, CheckpointTrigger, StateQuery, StateQueryAnswer, TaskManagerGateway } from './taskmanager-gateway.ts';

const RPC_TIMEOUT_MS = 10_000;

/** Talks to one TaskManager over gRPC. */
export class GrpcTaskManagerGateway implements TaskManagerGateway {
  private readonly client: TaskManagerServiceClient;

  constructor(address: string, security: SecurityConfig) {
    this.client = new controlProto.sluice.control.TaskManagerService(address, channelCredentials(security, 'taskmanager'), clientChannelOptions(security));
  }

  async deployTask(deployment: TaskDeploymentInput): Promise<void> {
    await callUnary<TaskDeploymentInput, object>(this.client.DeployTask.bind(this.client), deployment, 60_000);
  }

  async cancelTask(jobId: string, executionId: string): Promise<void> {
    await callUnary<object, object>(this.client.CancelTask.bind(this.client), { jobId, executionId }, RPC_TIMEOUT_MS);
  }

  async releaseJob(jobId: string): Promise<void> {
    await callUnary<object, object>(this.client.ReleaseJob.bind(this.client), { jobId }, RPC_TIMEOUT_MS);
  }

  async triggerCheckpoint(trigger: CheckpointTrigger): Promise<void> {
    await callUnary<CheckpointTrigger, object>(this.client.TriggerCheckpoint.bind(this.client), trigger, RPC_TIMEOUT_MS);
  }

  async notifyCheckpoint(notification: CheckpointNotification): Promise<void> {
    await callUnary<CheckpointNotification, object>(this.client.NotifyCheckpoint.bind(this.client), notification, RPC_TIMEOUT_MS);
  }

  async queryState(query: StateQuery): Promise<StateQueryAnswer> {
    const answer = await callUnary<StateQuery, { status: string; valueJson: string }>(this.client.QueryState.bind(this.client), query, RPC_TIMEOUT_MS);
    if (answer.status !== 'FOUND' && answer.status !== 'UNKNOWN_KEY' && answer.status !== 'UNKNOWN_STATE') throw new Error(`QueryState answered an unknown status ${JSON.stringify(answer.status)}`);
    return { status: answer.status, valueJson: answer.valueJson };
  }

  close(): void {
    this.client.close();
  }
}
