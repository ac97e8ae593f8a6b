/**
 * The HTTP side of cluster security, for the REST API and the metrics endpoints: HTTPS with the
 * process's certificate, and every request refused unless it carries the cluster token or a
 * client certificate of the cluster. Prometheus scrapes with `authorization.credentials_file` and
 * `tls_config.ca_file`.
 */
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { identityOfAltNames } from './cluster-identity.ts';
import type { SecurityConfig } from './security-config.ts';
import { TokenCheck } from './token-check.ts';

/** TLS options of an HTTPS server, or undefined for plain HTTP in insecure mode. */
export interface HttpsServerOptions {
  readonly key: Buffer;
  readonly cert: Buffer;
  readonly ca: Buffer;
  readonly requestCert: true;
  readonly rejectUnauthorized: false;
}

/** The HTTPS options of a process's HTTP server. */
export function httpsServerOptions(security: SecurityConfig): HttpsServerOptions | undefined {
  if (security.mode === 'insecure') return undefined;
  if (!security.identity) throw new Error('an HTTPS server needs its own certificate (--tls-cert, --tls-key)');
  return { key: security.identity.key, cert: security.identity.cert, ca: security.ca, requestCert: true, rejectUnauthorized: false };
}

/** Decides whether an HTTP request may be answered. */
export class HttpAuthorizer {
  private readonly token: TokenCheck | undefined;

  constructor(private readonly security: SecurityConfig) {
    this.token = security.mode === 'tls' && security.token !== undefined ? new TokenCheck(security.token) : undefined;
  }

  /** Why `request` is refused, or undefined when it may be answered. */
  refusal(request: IncomingMessage): string | undefined {
    if (this.security.mode === 'insecure') return undefined;
    if (this.token?.acceptsBearer(request.headers.authorization)) return undefined;
    const socket = request.socket;
    if (socket instanceof TLSSocket && socket.authorized && identityOfAltNames(socket.getPeerCertificate().subjectaltname)) return undefined;
    return request.headers.authorization === undefined ? 'this endpoint needs the cluster token (Authorization: Bearer) or a client certificate of the cluster' : 'the token is not this cluster’s';
  }
}
