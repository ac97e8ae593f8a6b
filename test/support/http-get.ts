/**
 * GETs from a Sluice HTTP endpoint (REST or metrics) as an authorized client: over HTTPS with the
 * cluster CA and the cluster token when the cluster runs TLS.
 */
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { SecurityConfig } from '../../common/security/security-config.ts';

/** A response's status and body. */
export interface HttpReply {
  readonly status: number;
  readonly body: string;
}

/** GETs `url`, with the credentials of `security` (none: an anonymous caller). */
export function getUrl(url: string, security: SecurityConfig | undefined): Promise<HttpReply> {
  const tls = security?.mode === 'tls' ? security : undefined;
  const headers: Record<string, string> = tls?.token !== undefined ? { authorization: `Bearer ${tls.token}` } : {};
  return new Promise((resolve, reject) => {
    const onReply = (res: IncomingMessage): void => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    };
    const req = url.startsWith('https:') ? httpsGet(url, { headers, ca: tls?.ca ?? [] }, onReply) : httpGet(url, { headers }, onReply);
    req.on('error', reject);
  });
}
