/**
 * The JobManager's REST API, in the shapes of Flink's REST API, plus `/metrics`. With TLS on it
 * serves HTTPS and answers only callers with the cluster token or a client certificate.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { HttpAuthorizer, httpsServerOptions } from '../../common/security/http-security.ts';
import type { SecurityConfig } from '../../common/security/security-config.ts';
import type { Registry } from 'prom-client';
import { SluiceError } from '../../common/errors.ts';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Dispatcher } from '../dispatcher.ts';
import type { SlotPool } from '../jobmaster/slot-pool.ts';
import type { TaskManagerRegistry } from '../resourcemanager/taskmanager-registry.ts';
import { parseStateKey, queryState } from './state-query.ts';

/** Builds the REST server; the caller listens. */
export function createRestServer(dispatcher: Dispatcher, registry: TaskManagerRegistry, slots: SlotPool, metrics: Registry, security: SecurityConfig): FastifyInstance {
  const https = httpsServerOptions(security);
  const app = (https ? Fastify({ logger: false, https }) : Fastify({ logger: false })) as unknown as FastifyInstance;
  const authorizer = new HttpAuthorizer(security);
  app.addHook('onRequest', async (req, reply) => {
    const refusal = authorizer.refusal(req.raw);
    if (refusal !== undefined) await reply.code(401).header('www-authenticate', 'Bearer').send({ errors: [refusal] });
  });
  app.setErrorHandler((error, _req, reply) => {
    const notFound = error instanceof SluiceError && error.code === GrpcStatus.NOT_FOUND;
    void reply.code(notFound ? 404 : 500).send({ errors: [(error as Error).message] });
  });

  app.get('/overview', async () => {
    const jobs = dispatcher.allJobs;
    const count = (state: string): number => jobs.filter((j) => j.state === state).length;
    return {
      taskmanagers: registry.all.length,
      'slots-total': slots.total,
      'slots-available': slots.available,
      'jobs-running': jobs.filter((j) => !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state)).length,
      'jobs-finished': count('FINISHED'),
      'jobs-cancelled': count('CANCELED'),
      'jobs-failed': count('FAILED'),
    };
  });

  app.get('/jobs', async () => ({ jobs: dispatcher.allJobs.map((j) => ({ id: j.jobId, status: j.state })) }));

  app.get('/jobs/overview', async () => ({
    jobs: dispatcher.allJobs.map((j) => ({
      jid: j.jobId,
      name: j.jobGraph.name,
      state: j.state,
      'start-time': j.startTime,
      'end-time': j.endTime || -1,
      duration: (j.endTime || Date.now()) - j.startTime,
    })),
  }));

  app.get<{ Params: { id: string } }>('/jobs/:id', async (req) => {
    const j = dispatcher.job(req.params.id);
    const status = dispatcher.status(j.jobId);
    return {
      jid: j.jobId,
      name: j.jobGraph.name,
      state: j.state,
      'start-time': j.startTime,
      'end-time': j.endTime || -1,
      duration: (j.endTime || Date.now()) - j.startTime,
      now: Date.now(),
      'failure-cause': j.failure || null,
      restarts: j.restarts,
      'last-failure': j.lastFailure ? { cause: j.lastFailure.cause, time: j.lastFailure.time } : null,
      vertices: j.vertices.map((v) => {
        const tasks = (status.tasks ?? []).filter((t) => t.vertexId === v.id);
        return {
          id: v.id,
          name: v.name,
          parallelism: v.parallelism,
          maxParallelism: v.maxParallelism,
          status: tasks.every((t) => t.state === tasks[0]?.state) ? (tasks[0]?.state ?? 'CREATED') : 'RUNNING',
          metrics: {
            'read-records': tasks.reduce((n, t) => n + Number(t.recordsIn ?? 0), 0),
            'write-records': tasks.reduce((n, t) => n + Number(t.recordsOut ?? 0), 0),
          },
          subtasks: tasks.map((t) => ({ subtask: t.subtask, attempt: t.attempt, status: t.state, 'taskmanager-id': t.taskmanagerId, failure: t.failure || null })),
        };
      }),
    };
  });

  app.get<{ Params: { id: string } }>('/jobs/:id/checkpoints', async (req) => {
    const j = dispatcher.job(req.params.id);
    const counts = j.checkpoints.counts;
    const latest = j.checkpoints.latest;
    return {
      counts: { completed: counts.completed, failed: counts.failed, in_progress: counts.inProgress, restored: j.restarts },
      latest: {
        completed: latest
          ? {
              id: latest.checkpointId,
              is_savepoint: latest.isSavepoint,
              trigger_timestamp: latest.triggeredAt,
              latest_ack_timestamp: latest.completedAt,
              end_to_end_duration: latest.completedAt - latest.triggeredAt,
              state_size: latest.sizeBytes,
              checkpointed_size: latest.incrementalBytes,
              external_path: latest.metadataFile,
            }
          : null,
        failure: j.lastFailure ? { failure_message: j.lastFailure.cause, failure_timestamp: j.lastFailure.time } : null,
      },
      history: j.checkpoints.store.checkpoints.map((c) => ({ id: c.checkpointId, status: 'COMPLETED', state_size: c.sizeBytes, checkpointed_size: c.incrementalBytes, external_path: c.metadataFile })),
    };
  });

  app.get<{ Params: { id: string; name: string; key: string }; Querystring: { type?: string } }>('/jobs/:id/state/:name/:key', async (req, reply) => {
    const j = dispatcher.job(req.params.id);
    const key = parseStateKey(req.params.key, req.query.type === 'string');
    const result = await queryState(j.jobId, j.executionGraph.executions, req.params.name, key);
    if (!result.found) return reply.code(404).send({ errors: [result.error] });
    return result.body;
  });

  app.get('/taskmanagers', async () => ({
    taskmanagers: registry.all.map((tm) => ({
      id: tm.id,
      path: tm.address,
      dataPort: Number(tm.address.split(':').pop()),
      metricsAddress: tm.metricsAddress || null,
      timeSinceLastHeartbeat: Date.now() - tm.lastHeartbeat,
      slotsNumber: tm.slots,
      freeSlots: slots.freeSlotsOf(tm.id),
    })),
  }));

  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', metrics.contentType);
    return metrics.metrics();
  });

  return app;
}
