/** The client's gateway to a JobManager: submit, cancel, list, status and collect over gRPC. */
import { createRecordCodec } from '../common/codec.ts';
import type { JobGraphInput, JobStatus } from '../common/rpc/index.ts';
import { channelCredentials, clientChannelOptions } from '../common/rpc/grpc-security.ts';
import { controlProto } from '../common/rpc/proto.ts';
import type { SecurityConfig } from '../common/security/security-config.ts';
import { callUnary } from '../common/rpc/unary.ts';
import type { JobManagerServiceClient } from '../proto/generated/sluice/control/JobManagerService.ts';
import type { CollectResponse__Output } from '../proto/generated/sluice/control/CollectResponse.ts';
import type { ListJobsResponse__Output } from '../proto/generated/sluice/control/ListJobsResponse.ts';
import type { SubmitJobResponse__Output } from '../proto/generated/sluice/control/SubmitJobResponse.ts';
import type { SubmitJobRequest } from '../proto/generated/sluice/control/SubmitJobRequest.ts';
import type { JobSettings } from '../proto/generated/sluice/control/JobSettings.ts';
import type { SavepointResponse__Output } from '../proto/generated/sluice/control/SavepointResponse.ts';
import type { RescaleResponse__Output } from '../proto/generated/sluice/control/RescaleResponse.ts';

const RPC_TIMEOUT_MS = 15_000;

/** How a submitted job runs. */
export interface SubmitJobOptions {
  /** Checkpoint interval, timeouts, retention, restart strategy. */
  readonly settings?: JobSettings;
  /** A savepoint or checkpoint to start from. */
  readonly restorePath?: string;
}

/** Talks to one JobManager. */
export class ClusterClient {
  private readonly client: JobManagerServiceClient;

  constructor(
    readonly address: string,
    security: SecurityConfig,
  ) {
    this.client = new controlProto.sluice.control.JobManagerService(address, channelCredentials(security, 'jobmanager'), clientChannelOptions(security));
  }

  /** Submits a job graph with its bundle; resolves with the job id. */
  async submit(graph: JobGraphInput, bundle: Buffer, options: SubmitJobOptions = {}): Promise<string> {
    const request: SubmitJobRequest = { graph, bundle, settings: options.settings, restorePath: options.restorePath ?? '' };
    const res = await callUnary<SubmitJobRequest, SubmitJobResponse__Output>(this.client.SubmitJob.bind(this.client), request, 60_000);
    return res.jobId;
  }

  /** Takes a savepoint (and stops the job when `stop`); resolves with the savepoint's directory. */
  async savepoint(jobId: string, targetDir = '', stop = false): Promise<string> {
    const res = await callUnary<object, SavepointResponse__Output>(this.client.TriggerSavepoint.bind(this.client), { jobId, targetDir, stop }, 600_000);
    return res.path;
  }

  /** Rescales a job through a savepoint; resolves with the savepoint's directory. */
  async rescale(jobId: string, parallelism: number): Promise<string> {
    const res = await callUnary<object, RescaleResponse__Output>(this.client.RescaleJob.bind(this.client), { jobId, parallelism }, 600_000);
    return res.savepointPath;
  }

  /** Cancels a job. */
  async cancel(jobId: string): Promise<void> {
    await callUnary<object, object>(this.client.CancelJob.bind(this.client), { jobId }, RPC_TIMEOUT_MS);
  }

  /** Lists every job the JobManager knows. */
  async list(): Promise<JobStatus[]> {
    const res = await callUnary<object, ListJobsResponse__Output>(this.client.ListJobs.bind(this.client), {}, RPC_TIMEOUT_MS);
    return res.jobs;
  }

  /** The status of one job. */
  async status(jobId: string): Promise<JobStatus> {
    return callUnary<object, JobStatus>(this.client.GetJobStatus.bind(this.client), { jobId }, RPC_TIMEOUT_MS);
  }

  /** Reads what the job's collect sinks pushed, from the start, until the job ended and all was read. */
  async *collect(jobId: string, pollMs = 100): AsyncGenerator<unknown> {
    const codec = createRecordCodec();
    let offset = 0;
    for (;;) {
      const res = await callUnary<object, CollectResponse__Output>(this.client.Collect.bind(this.client), { jobId, fromOffset: offset }, RPC_TIMEOUT_MS);
      if (res.records.length > 0) {
        offset = res.nextOffset;
        yield* codec.decodeBatch(res.records);
        continue;
      }
      if (res.finished) return;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Closes the connection. */
  close(): void {
    this.client.close();
  }
}
