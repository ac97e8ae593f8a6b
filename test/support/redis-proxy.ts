/**
 * Test helper: a TCP proxy in front of Redis that a test can cut and restore, to play a Redis that
 * goes away mid-job and comes back.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running proxy on 127.0.0.1 and an ephemeral port. */
export class RedisProxy {
  private readonly sockets = new Set<Socket>();
  private refusing = false;

  private constructor(
    private readonly server: Server,
    /** The port the proxy listens on. */
    readonly port: number,
  ) {}

  /** Starts a proxy to `target` (`host:port`). */
  static async start(target: string): Promise<RedisProxy> {
    const [host, port] = target.split(':');
    let proxy: RedisProxy | undefined;
    const server = createServer((client) => {
      if (proxy === undefined || proxy.refusing) {
        client.destroy();
        return;
      }
      const upstream = connect(Number(port), host);
      proxy.track(client);
      proxy.track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the Redis proxy has no port');
    proxy = new RedisProxy(server, address.port);
    return proxy;
  }

  /** `127.0.0.1:port`, for a `redis://` URI. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Drops every open connection and refuses new ones, as a Redis that went away. */
  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Accepts connections again. */
  restore(): void {
    this.refusing = false;
  }

  /** Closes the proxy and its connections. */
  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
