/**
 * A JobManager and N TaskManagers started as real child processes on free ports. `sluice run`
 * uses it as the embedded default, `sluice local` runs it in the foreground, and tests use it
 * through the MiniCluster helper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ClusterIdentity } from '../common/security/cluster-identity.ts';
import type { SecurityConfig } from '../common/security/security-config.ts';
import { credentialFlags, LocalCredentials, type CredentialFiles } from './local-credentials.ts';

const SLUICE_BIN = fileURLToPath(new URL('../bin/sluice.js', import.meta.url));

/** Options of a local cluster. */
export interface LocalClusterOptions {
  taskManagers?: number;
  slotsPerTaskManager?: number;
  /** Root of the processes' data directories; a temporary one when unset. */
  dataDir?: string;
  /** Extra flags for the JobManager, e.g. `['--heartbeat-timeout', '2000']`. */
  jobManagerArgs?: string[];
  /** Extra flags for every TaskManager. */
  taskManagerArgs?: string[];
  /** Where the processes' logs go: inherited stderr, discarded, or one file per process in `dir` (`jobmanager.log`, `taskmanager-N.log`). */
  logs?: 'inherit' | 'ignore' | { readonly dir: string };
  /** Serve TaskManager metrics on a free port. */
  taskManagerMetrics?: boolean;
  /**
   * `tls` (the default) makes a CA, certificates and a token for the cluster; `insecure` starts
   * the processes with `--insecure`.
   */
  security?: 'tls' | 'insecure';
}

/** What a started process announced on its first stdout line. */
export interface ReadyEvent {
  event: 'ready';
  port: number;
  restPort?: number;
  metricsPort?: number;
  id?: string;
}

/** One child process of the cluster. */
export interface ClusterProcess {
  readonly child: ChildProcess;
  readonly ready: ReadyEvent;
}

/**
 * Spawns `sluice <args>` and resolves once it prints its ready line. `launcher` is a command
 * that runs Node in turn, for example `ip netns exec <namespace>` to start the process in
 * another network namespace.
 */
export async function spawnSluice(args: string[], logs: 'inherit' | 'ignore' | { readonly file: string }, launcher: readonly string[] = []): Promise<ClusterProcess> {
  // SLUICE_NODE_ARGS passes extra Node flags (say `--cpu-prof`) to every process of the cluster.
  const nodeArgs = (process.env.SLUICE_NODE_ARGS ?? '').split(/\s+/).filter((a) => a.length > 0);
  const command = [...launcher, process.execPath, ...nodeArgs, SLUICE_BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', logs === 'inherit' ? 'inherit' : 'pipe'] });
  // Discarded logs still tell why a process could not start: its last `Error:` line is kept.
  let startError = '';
  if (child.stderr) {
    if (typeof logs === 'object') child.stderr.pipe(createWriteStream(logs.file, { flags: 'a' }));
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.startsWith('Error: ')) startError = line.slice('Error: '.length);
    });
  }
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<ReadyEvent>((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null): void =>
      reject(new Error(`sluice ${args[0]} exited before it was ready (code ${code}, signal ${signal})${startError ? `: ${startError}` : ''}`));
    child.once('close', onExit);
    lines.once('line', (line) => {
      child.off('close', onExit);
      try {
        resolve(JSON.parse(line) as ReadyEvent);
      } catch {
        reject(new Error(`sluice ${args[0]} printed an unexpected first line: ${line}`));
      }
    });
  });
  lines.on('line', () => undefined);
  return { child, ready };
}

/** A running local cluster. */
export class LocalCluster {
  jobManager: ClusterProcess | undefined;
  readonly taskManagers: ClusterProcess[] = [];
  readonly dataDir: string;
  private readonly ownsDataDir: boolean;
  private tmCounter = 0;
  private credentials: LocalCredentials | undefined;
  private jobManagerFlags: string[] = [];
  private extraCredentials = 0;

  constructor(private readonly options: LocalClusterOptions = {}) {
    this.ownsDataDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sluice-cluster-'));
  }

  /** The JobManager's gRPC address. */
  get address(): string {
    return `127.0.0.1:${this.jobManager?.ready.port ?? 0}`;
  }

  /** The JobManager's REST base URL. */
  get restUrl(): string {
    return `${this.httpScheme}://127.0.0.1:${this.jobManager?.ready.restPort ?? 0}`;
  }

  /** The metrics URL of one of the cluster's TaskManagers (started with `taskManagerMetrics`). */
  metricsUrl(taskManager: ClusterProcess): string {
    return `${this.httpScheme}://127.0.0.1:${taskManager.ready.metricsPort ?? 0}/metrics`;
  }

  private get httpScheme(): 'http' | 'https' {
    return this.credentials ? 'https' : 'http';
  }

  /** What a client of this cluster connects with. */
  get clientSecurity(): SecurityConfig {
    return this.credentials?.clientSecurity() ?? { mode: 'insecure' };
  }

  /** The CA and token files clients of this cluster pass as --tls-ca and --auth-token-file; undefined when insecure. */
  get clientCredentialFiles(): { readonly tlsCa: string; readonly authTokenFile: string } | undefined {
    return this.credentials && { tlsCa: this.credentials.caFile, authTokenFile: this.credentials.tokenFile };
  }

  /**
   * Credentials of the cluster's CA for another identity: a tool or a test that joins the cluster
   * as a process of its own. Undefined when the cluster is insecure.
   */
  async credentialsFor(identity: ClusterIdentity): Promise<SecurityConfig | undefined> {
    const files = await this.credentialFilesFor(identity);
    if (!files) return undefined;
    return { mode: 'tls', ca: readFileSync(files.tlsCa), identity: { cert: readFileSync(files.tlsCert), key: readFileSync(files.tlsKey) }, token: undefined };
  }

  /** `credentialsFor` as files, for a process started with `credentialFlags`. */
  async credentialFilesFor(identity: ClusterIdentity): Promise<CredentialFiles | undefined> {
    return this.credentials?.issue(identity, `extra-${this.extraCredentials++}`);
  }

  /** Starts the JobManager, then the TaskManagers. */
  async start(): Promise<this> {
    if (this.options.security === 'insecure') this.jobManagerFlags = ['--insecure'];
    else {
      this.credentials = await LocalCredentials.create(join(this.dataDir, 'security'));
      const files = await this.credentials.issue({ role: 'jobmanager' }, 'jobmanager');
      this.jobManagerFlags = [...credentialFlags(files), '--auth-token-file', this.credentials.tokenFile];
    }
    this.jobManager = await this.spawnJobManager(0, 0);
    await Promise.all(Array.from({ length: this.options.taskManagers ?? 2 }, () => this.addTaskManager()));
    return this;
  }

  /**
   * Starts a new JobManager on the ports and data directory of the previous one (after it was
   * killed): it resumes the jobs in its store, and the TaskManagers find it at the same address.
   */
  async restartJobManager(): Promise<ClusterProcess> {
    const previous = this.jobManager?.ready;
    if (!previous) throw new Error('the cluster has no JobManager to restart');
    this.jobManager = await this.spawnJobManager(previous.port, previous.restPort ?? 0);
    return this.jobManager;
  }

  private spawnJobManager(port: number, restPort: number): Promise<ClusterProcess> {
    return spawnSluice(
      ['jobmanager', '--port', String(port), '--rest-port', String(restPort), '--data-dir', join(this.dataDir, 'jobmanager'), ...this.jobManagerFlags, ...(this.options.jobManagerArgs ?? [])],
      this.logsOf('jobmanager'),
    );
  }

  /** Starts one more TaskManager. */
  async addTaskManager(): Promise<ClusterProcess> {
    const n = this.tmCounter++;
    const metrics = this.options.taskManagerMetrics ? ['--metrics-port', '0'] : [];
    const security = this.credentials
      ? [...credentialFlags(await this.credentials.issue({ role: 'taskmanager', id: `tm-${n}` }, `taskmanager-${n}`)), '--auth-token-file', this.credentials.tokenFile]
      : ['--insecure'];
    const tm = await spawnSluice(
      [
        'taskmanager',
        '--jobmanager',
        this.address,
        '--slots',
        String(this.options.slotsPerTaskManager ?? 2),
        '--data-dir',
        join(this.dataDir, `taskmanager-${n}`),
        ...metrics,
        ...security,
        ...(this.options.taskManagerArgs ?? []),
      ],
      this.logsOf(`taskmanager-${n}`),
    );
    this.taskManagers.push(tm);
    return tm;
  }

  /** Where the logs of process `name` go. */
  private logsOf(name: string): 'inherit' | 'ignore' | { readonly file: string } {
    const logs = this.options.logs ?? 'ignore';
    return typeof logs === 'object' ? { file: join(logs.dir, `${name}.log`) } : logs;
  }

  /** Kills every process and removes a temporary data directory. */
  async stop(): Promise<void> {
    const all = [...this.taskManagers, ...(this.jobManager ? [this.jobManager] : [])];
    await Promise.all(all.map((p) => killProcess(p.child, 'SIGTERM')));
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Sends a signal and resolves when the process exited (SIGKILL after 5 s). */
export function killProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
