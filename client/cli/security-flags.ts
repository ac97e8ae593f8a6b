/**
 * The credential flags shared by the client verbs and the process commands, with their
 * environment fallbacks (SLUICE_TLS_CA, SLUICE_TLS_CERT, SLUICE_TLS_KEY, SLUICE_AUTH_TOKEN,
 * SLUICE_AUTH_TOKEN_FILE, SLUICE_INSECURE).
 */
import type { Argv } from 'yargs';
import { resolveSecurity, type SecurityConfig, type SecurityOptions } from '../../common/security/security-config.ts';

/** The parsed credential flags: the security options except a token on the command line (it would show in `ps`). */
export type SecurityFlags = Omit<SecurityOptions, 'authToken'>;

/** Adds the credential flags to a command. */
export function securityFlags<T>(a: Argv<T>) {
  return a
    .option('tls-ca', { type: 'string', describe: 'PEM certificate of the cluster CA (env SLUICE_TLS_CA)' })
    .option('tls-cert', { type: 'string', describe: 'PEM certificate of this process, issued by the cluster CA (env SLUICE_TLS_CERT)' })
    .option('tls-key', { type: 'string', describe: 'PEM private key of --tls-cert (env SLUICE_TLS_KEY)' })
    .option('auth-token-file', { type: 'string', describe: 'file holding the cluster token (env SLUICE_AUTH_TOKEN_FILE, or SLUICE_AUTH_TOKEN)' })
    .option('insecure', { type: 'boolean', describe: 'plaintext gRPC without authentication (env SLUICE_INSECURE=1)' });
}

/** The security options the flags name. */
export function securityOptionsOf(flags: SecurityFlags): SecurityOptions {
  return { tlsCa: flags.tlsCa, tlsCert: flags.tlsCert, tlsKey: flags.tlsKey, authTokenFile: flags.authTokenFile, insecure: flags.insecure };
}

/** The credentials of a client verb: the CA, and the token or a client certificate. */
export function clientSecurity(flags: SecurityFlags): SecurityConfig {
  return resolveSecurity(securityOptionsOf(flags), { identity: false, token: 'required-without-identity' });
}
