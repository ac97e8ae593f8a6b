/**
 * How a Sluice process proves who it is and checks its callers. Options name files (as flags and
 * environment variables do); the resolved config holds their contents. A process runs with
 * mutual TLS unless it is started with `insecure: true`, which the process then says in its log.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errorMessage } from '../errors.ts';
import { describeIdentity, identityOfAltNames, type ClusterIdentity, type ClusterRole } from './cluster-identity.ts';

/** Flags of a process or the CLI that choose its credentials. */
export interface SecurityOptions {
  /** PEM certificate of this process, issued by the cluster CA. */
  readonly tlsCert?: string | undefined;
  /** PEM private key of `tlsCert`. */
  readonly tlsKey?: string | undefined;
  /** PEM certificate of the cluster CA, which every peer's certificate must chain to. */
  readonly tlsCa?: string | undefined;
  /** The cluster token clients present; prefer `authTokenFile`, which keeps it out of `ps`. */
  readonly authToken?: string | undefined;
  /** A file holding the cluster token. */
  readonly authTokenFile?: string | undefined;
  /** Plaintext gRPC with no authentication: every caller may do everything. */
  readonly insecure?: boolean | undefined;
}

/** The certificate and key a process presents. */
export interface TlsIdentity {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Resolved credentials: mutual TLS with the cluster CA, or an explicit opt-out. */
export type SecurityConfig =
  | { readonly mode: 'insecure' }
  | {
      readonly mode: 'tls';
      readonly ca: Buffer;
      /** Absent for a client that authenticates with the token only. */
      readonly identity: TlsIdentity | undefined;
      /** The cluster token: what a JobManager accepts from clients, what a client sends. */
      readonly token: string | undefined;
    };

/** What a process needs of its credentials. */
export interface SecurityNeeds {
  /** A server or a peer of the cluster needs its own certificate; a CLI client does not. */
  readonly identity: boolean;
  /** A client needs the token unless it has a certificate; a JobManager uses it if given. */
  readonly token: 'required-without-identity' | 'optional';
}

/** Shortest token accepted, so that a token cannot be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/** The environment variables that stand in for unset options. */
export function securityOptionsFromEnv(env: NodeJS.ProcessEnv): SecurityOptions {
  return {
    tlsCert: env.SLUICE_TLS_CERT,
    tlsKey: env.SLUICE_TLS_KEY,
    tlsCa: env.SLUICE_TLS_CA,
    authToken: env.SLUICE_AUTH_TOKEN,
    authTokenFile: env.SLUICE_AUTH_TOKEN_FILE,
    insecure: env.SLUICE_INSECURE === '1' || env.SLUICE_INSECURE === 'true' ? true : undefined,
  };
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read the ${what} ${path}: ${errorMessage(error)}`);
  }
}

function tokenOf(options: SecurityOptions): string | undefined {
  if (options.authToken !== undefined && options.authTokenFile !== undefined) throw new Error('give the cluster token once: --auth-token-file or SLUICE_AUTH_TOKEN, not both');
  const token = options.authTokenFile !== undefined ? readPem(options.authTokenFile, 'token file').toString('utf8').trim() : options.authToken?.trim();
  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`the cluster token is ${token.length} characters; it needs at least ${MIN_TOKEN_LENGTH}`);
  return token;
}

/**
 * Resolves options (flags first, then the environment) into credentials, or fails naming what is
 * missing and how to opt out.
 */
export function resolveSecurity(options: SecurityOptions, needs: SecurityNeeds, env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const fromEnv = securityOptionsFromEnv(env);
  const pick = <K extends keyof SecurityOptions>(key: K): SecurityOptions[K] => options[key] ?? fromEnv[key];
  if (pick('insecure')) return { mode: 'insecure' };
  const certPath = pick('tlsCert');
  const keyPath = pick('tlsKey');
  const caPath = pick('tlsCa');
  const hint = 'or pass --insecure to run without authentication';
  if (caPath === undefined) throw new Error(`no cluster CA: pass --tls-ca (or SLUICE_TLS_CA), ${hint}`);
  if ((certPath === undefined) !== (keyPath === undefined)) throw new Error('--tls-cert and --tls-key go together');
  if (needs.identity && certPath === undefined) throw new Error(`no certificate: pass --tls-cert and --tls-key (or SLUICE_TLS_CERT and SLUICE_TLS_KEY), ${hint}`);
  const token = tokenOf({ authToken: options.authToken ?? (options.authTokenFile === undefined ? fromEnv.authToken : undefined), authTokenFile: options.authTokenFile ?? (options.authToken === undefined ? fromEnv.authTokenFile : undefined) });
  const identity = certPath !== undefined && keyPath !== undefined ? { cert: readPem(certPath, 'certificate'), key: readPem(keyPath, 'private key') } : undefined;
  if (needs.token === 'required-without-identity' && !identity && token === undefined) {
    throw new Error(`no credentials: pass --auth-token-file (or SLUICE_AUTH_TOKEN), or a client certificate with --tls-cert and --tls-key, ${hint}`);
  }
  return { mode: 'tls', ca: readPem(caPath, 'cluster CA'), identity, token };
}

/**
 * The identity this process's certificate names, checked against the role it runs as: a
 * TaskManager takes its id from its certificate, so that what it claims is what peers verify.
 * Undefined in insecure mode.
 */
export function ownIdentity(security: SecurityConfig, role: ClusterRole): ClusterIdentity | undefined {
  if (security.mode === 'insecure' || !security.identity) return undefined;
  let identity: ClusterIdentity | undefined;
  try {
    identity = identityOfAltNames(new X509Certificate(security.identity.cert).subjectAltName);
  } catch (error) {
    throw new Error(`the certificate is not a PEM X.509 certificate: ${errorMessage(error)}`);
  }
  if (!identity) throw new Error('the certificate names no Sluice identity (a sluice:// URI in its subject alternative names)');
  if (identity.role !== role) throw new Error(`the certificate is for ${describeIdentity(identity)}, not a ${role}`);
  return identity;
}
