/**
 * A NATS server process a test starts for itself (for example with authentication), on a free
 * port, stopped by its process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** A running nats-server process. */
export interface OwnNatsServer {
  /** `127.0.0.1:PORT` */
  readonly address: string;
  stop(): Promise<void>;
}

/** Starts `nats-server` on a random port requiring `user` and `pass`; resolves once it listens. */
export async function startNatsServerWithAuth(user: string, pass: string): Promise<OwnNatsServer> {
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', '-1', '--user', user, '--pass', pass], { stdio: ['ignore', 'pipe', 'pipe'] });
  const address = await new Promise<string>((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /Listening for client connections on ([\d.]+:\d+)/.exec(log);
      if (match) resolve(match[1] as string);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => reject(new Error(`cannot start nats-server: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${log}`)));
  });
  return { address, stop: () => stopProcess(child) };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
