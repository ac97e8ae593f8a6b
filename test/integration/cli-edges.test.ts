/**
 * The `sluice` CLI as a real process at the edges: a reader that closes the pipe early
 * (`sluice list | head`), a JobManager that refuses a request, one that is not there.
 *
 * The JobManager here is a stub gRPC server on port 0 speaking the real `JobManagerService`
 * contract, so that it can answer what a test needs (thousands of jobs, a refusal) at once. It
 * and the CLI run insecure: these tests are about output, the secure path has its own.
 */
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindServer, createGrpcServer, stopServer } from '../../common/rpc/grpc-server.ts';
import { controlProto } from '../../common/rpc/proto.ts';
import type { SecurityConfig } from '../../common/security/security-config.ts';

const INSECURE: SecurityConfig = { mode: 'insecure' };

/** Enough jobs that `list` writes far more than a pipe buffer holds. */
const JOBS = 3000;

function jobStatus(i: number): object {
  const jobId = i.toString(16).padStart(32, '0');
  return { jobId, name: `job-${i}`, state: 'RUNNING', startTime: 1_700_000_000_000 + i, tasks: [] };
}

/** What a CLI run gave. */
interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI. With `closeAfterFirstChunk`, its stdout is closed once the first output arrived,
 * as `| head -1` does, and `stdout` holds that first chunk.
 */
function sluice(args: string[], closeAfterFirstChunk = false): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/sluice.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SLUICE_LOG_LEVEL: 'error', SLUICE_INSECURE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (closeAfterFirstChunk) child.stdout.destroy();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('sluice CLI at the edges', () => {
  let server: grpc.Server;
  let address: string;

  beforeAll(async () => {
    server = createGrpcServer(INSECURE, new Map());
    const refuse = (message: string, code: grpc.status) => ({ code, details: message, message }) as grpc.ServiceError;
    server.addService(controlProto.sluice.control.JobManagerService.service, {
      ListJobs: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { jobs: Array.from({ length: JOBS }, (_, i) => jobStatus(i)) }),
      GetJobStatus: (call: grpc.ServerUnaryCall<{ jobId: string }, object>, callback: grpc.sendUnaryData<object>) => {
        const tasks = Array.from({ length: JOBS }, (_, i) => ({ vertexId: 'v', vertexName: 'map', subtask: i, attempt: 0, state: 'RUNNING' }));
        callback(null, { ...jobStatus(0), jobId: call.request.jobId, tasks });
      },
      CancelJob: (call: grpc.ServerUnaryCall<{ jobId: string }, object>, callback: grpc.sendUnaryData<object>) =>
        callback(refuse(`job ${call.request.jobId} is already CANCELED`, grpc.status.FAILED_PRECONDITION)),
    });
    address = `127.0.0.1:${await bindServer(server, '127.0.0.1', 0, INSECURE)}`;
  });

  afterAll(async () => {
    await stopServer(server, 500);
  });

  it('ends quietly with status 0 when the reader of list or status goes away (| head)', async () => {
    for (const args of [['list', '-m', address], ['status', 'ab'.repeat(16), '-m', address], ['list', '-m', address, '--json']]) {
      const res = await sluice(args, true);
      expect(res.stdout.length, args.join(' ')).toBeGreaterThan(0);
      expect(res.stderr, args.join(' ')).toBe('');
      expect(res.code, args.join(' ')).toBe(0);
    }
  });

  it('prints the whole list when the reader stays', async () => {
    const res = await sluice(['list', '-m', address]);
    expect(res.code).toBe(0);
    expect(res.stdout.trimEnd().split('\n')).toHaveLength(JOBS);
  });

  it("prints the JobManager's refusal to cancel and exits non-zero without a stack trace", async () => {
    const jobId = 'cd'.repeat(16);
    for (const json of [false, true]) {
      const res = await sluice(['cancel', jobId, '-m', address, ...(json ? ['--json'] : [])]);
      expect(res.stderr).toBe(`Error: job ${jobId} is already CANCELED\n`);
      expect(res.stdout).toBe('');
      expect(res.code).not.toBe(0);
    }
  });

  it('names an unreachable JobManager with a hint, without an empty resolution note', async () => {
    const res = await sluice(['list', '-m', '127.0.0.1:1']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^Error: JobManager unreachable at 127\.0\.0\.1:1: .*ECONNREFUSED 127\.0\.0\.1:1\. Is a JobManager running there\? Start one with "sluice jobmanager", or pass its HOST:PORT with -m\.\n$/);
    expect(res.stderr).not.toMatch(/Resolution note|Error: Error|\n\s+at /);
  });
});
