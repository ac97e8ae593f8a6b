/** The gRPC adapter of the JobManagerGateway. */
import { channelCredentials, clientChannelOptions } from '../../common/rpc/grpc-security.ts';
import { controlProto } from '../../common/rpc/proto.ts';
import type { SecurityConfig } from '../../common/security/security-config.ts';
import { callUnary } from '../../common/rpc/unary.ts';
import type { JobManagerServiceClient } from '../../proto/generated/sluice/control/JobManagerService.ts';
import type { JobGraph } from '../../common/rpc/index.ts';
import type { RegisterTaskManagerResponse__Output } from '../../proto/generated/sluice/control/RegisterTaskManagerResponse.ts';
import type { HeartbeatResponse__Output } from '../../proto/generated/sluice/control/HeartbeatResponse.ts';
import type { GetBundleResponse__Output } from '../../proto/generated/sluice/control/GetBundleResponse.ts';
import type { CheckpointAck, CheckpointDecline, JobManagerGateway, RegistrationAccepted, TaskManagerRegistration, TaskMetricsSample, TaskStateReport } from './jobmanager-gateway.ts';

const RPC_TIMEOUT_MS = 10_000;

/** Talks to a JobManager over gRPC. */
export class GrpcJobManagerGateway implements JobManagerGateway {
  private readonly client: JobManagerServiceClient;

  constructor(address: string, security: SecurityConfig) {
    this.client = new controlProto.sluice.control.JobManagerService(address, channelCredentials(security, 'jobmanager'), clientChannelOptions(security));
  }

  async registerTaskManager(registration: TaskManagerRegistration): Promise<RegistrationAccepted> {
    const res = await callUnary<TaskManagerRegistration, RegisterTaskManagerResponse__Output>(this.client.RegisterTaskManager.bind(this.client), registration, RPC_TIMEOUT_MS);
    return { jobmanagerId: res.jobmanagerId, heartbeatIntervalMs: res.heartbeatIntervalMs, heartbeatTimeoutMs: res.heartbeatTimeoutMs };
  }

  async heartbeat(taskmanagerId: string, tasks: TaskMetricsSample[]): Promise<boolean> {
    const res = await callUnary<object, HeartbeatResponse__Output>(this.client.Heartbeat.bind(this.client), { taskmanagerId, tasks }, RPC_TIMEOUT_MS);
    return res.known;
  }

  async updateTaskState(report: TaskStateReport): Promise<void> {
    await callUnary(this.client.UpdateTaskState.bind(this.client), report, RPC_TIMEOUT_MS);
  }

  async getBundle(jobId: string): Promise<{ bundle: Buffer; graph: JobGraph }> {
    const res = await callUnary<object, GetBundleResponse__Output>(this.client.GetBundle.bind(this.client), { jobId }, 60_000);
    if (!res.graph) throw new Error(`the JobManager sent no graph for job ${jobId}`);
    return { bundle: res.bundle, graph: res.graph };
  }

  async pushCollected(jobId: string, sinkId: string, records: Uint8Array, count: number): Promise<void> {
    await callUnary(this.client.PushCollected.bind(this.client), { jobId, sinkId, records, count }, RPC_TIMEOUT_MS);
  }

  async acknowledgeCheckpoint(ack: CheckpointAck): Promise<void> {
    await callUnary(this.client.AcknowledgeCheckpoint.bind(this.client), ack, 60_000);
  }

  async declineCheckpoint(decline: CheckpointDecline): Promise<void> {
    await callUnary(this.client.DeclineCheckpoint.bind(this.client), decline, RPC_TIMEOUT_MS);
  }

  close(): void {
    this.client.close();
  }
}
