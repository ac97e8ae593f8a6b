/**
 * Credentials of a local cluster, made when it starts: a fresh CA, a certificate per process, and a
 * cluster token, written with owner-only permissions under the cluster's data directory. The local
 * cluster, `sluice run` and the tests therefore run the same mutual-TLS path as a deployment.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClusterCa, issueCertificate, type ClusterCa } from '../common/security/certificates.ts';
import type { ClusterIdentity } from '../common/security/cluster-identity.ts';
import type { SecurityConfig } from '../common/security/security-config.ts';

/** Files a process is started with, as flags. */
export interface CredentialFiles {
  readonly tlsCa: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
}

/** A local cluster's CA and token, and the files written from them. */
export class LocalCredentials {
  private constructor(
    private readonly ca: ClusterCa,
    readonly dir: string,
    /** The CA certificate file, for clients. */
    readonly caFile: string,
    /** The token file, for clients and the JobManager. */
    readonly tokenFile: string,
    private readonly token: string,
  ) {}

  /** Makes a CA and a token and writes them to `dir`. */
  static async create(dir: string): Promise<LocalCredentials> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const ca = await createClusterCa({ name: 'Sluice local cluster CA' });
    const token = randomBytes(32).toString('base64url');
    const caFile = join(dir, 'ca.pem');
    const tokenFile = join(dir, 'token');
    await writeFile(caFile, ca.cert, { mode: 0o600 });
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    return new LocalCredentials(ca, dir, caFile, tokenFile, token);
  }

  /**
   * Issues a certificate for `identity` and writes it as `<name>.pem` and `<name>-key.pem`;
   * `hosts` are the names and addresses it is valid for (default localhost and loopback), for a
   * process that serves on another address.
   */
  async issue(identity: ClusterIdentity, name: string, hosts?: readonly string[]): Promise<CredentialFiles> {
    const { cert, key } = await issueCertificate(this.ca, identity, hosts === undefined ? {} : { hosts });
    const tlsCert = join(this.dir, `${name}.pem`);
    const tlsKey = join(this.dir, `${name}-key.pem`);
    await writeFile(tlsCert, cert, { mode: 0o600 });
    await writeFile(tlsKey, key, { mode: 0o600 });
    return { tlsCa: this.caFile, tlsCert, tlsKey };
  }

  /** What a client of this cluster connects with: the CA and the token. */
  clientSecurity(): SecurityConfig {
    return { mode: 'tls', ca: Buffer.from(this.ca.cert), identity: undefined, token: this.token };
  }
}

/** The flags that hand credential files to a `sluice jobmanager` or `sluice taskmanager` process. */
export function credentialFlags(files: CredentialFiles): string[] {
  return ['--tls-ca', files.tlsCa, '--tls-cert', files.tlsCert, '--tls-key', files.tlsKey];
}
