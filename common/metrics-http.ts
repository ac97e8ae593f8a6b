/**
 * A minimal endpoint that serves a Prometheus registry at `/metrics`: HTTPS with the cluster's
 * credentials when TLS is on (see security/http-security.ts), plain HTTP in insecure mode.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { HttpAuthorizer, httpsServerOptions } from './security/http-security.ts';
import type { SecurityConfig } from './security/security-config.ts';

/** Starts serving `registry` and resolves with the bound server and port. */
export async function serveMetrics(registry: Registry, host: string, port: number, security: SecurityConfig): Promise<{ server: Server; port: number }> {
  const authorizer = new HttpAuthorizer(security);
  const https = httpsServerOptions(security);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const refusal = authorizer.refusal(req);
    if (refusal !== undefined) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end(`${refusal}\n`);
      return;
    }
    if (req.url !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  };
  const server: Server = https ? createHttpsServer(https, handle) : createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
