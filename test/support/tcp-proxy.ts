/**
 * A TCP proxy that tests put in front of a real service to cut the connection: it forwards every
 * connection to the target until told to drop the open connections, or to go away entirely
 * (new connections are refused) and later come back on the same port.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A running proxy on 127.0.0.1. */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  /** Connections accepted so far, for tests that wait for a client to come back. */
  accepted = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private listenPort: number,
  ) {}

  /** Starts a proxy to `target` (`host:port`) on a free port (or `port`). */
  static async start(target: string, port = 0): Promise<TcpProxy> {
    const [host, portText] = splitHostPort(target);
    const proxy = new TcpProxy(host, Number(portText), port);
    await proxy.listen();
    return proxy;
  }

  /** `127.0.0.1:PORT`, where clients connect. */
  get address(): string {
    return `127.0.0.1:${this.listenPort}`;
  }

  /** The open client connections. */
  get connections(): number {
    return this.sockets.size / 2;
  }

  /** Resets every open connection; new ones are still accepted. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Drops every connection and stops listening: clients are refused until `restore`. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.dropConnections();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port after `cut`. */
  async restore(): Promise<void> {
    if (this.server === undefined) await this.listen();
  }

  /** Stops the proxy and drops every connection. */
  async stop(): Promise<void> {
    await this.cut();
  }

  private async listen(): Promise<void> {
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.listenPort = (server.address() as { port: number }).port;
    this.server = server;
  }

  private forward(client: Socket): void {
    this.accepted++;
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
  }
}

function splitHostPort(target: string): [string, string] {
  const at = target.lastIndexOf(':');
  if (at < 1) throw new Error(`tcp proxy: the target must be host:port, got "${target}"`);
  return [target.slice(0, at), target.slice(at + 1)];
}
