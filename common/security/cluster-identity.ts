/**
 * Who a peer of a Sluice process is. Every certificate the cluster CA issues names one identity
 * as a URI in its subject alternative names (`sluice://jobmanager`, `sluice://taskmanager/<id>`,
 * `sluice://client`), so that a verified certificate says which role may call what, and which
 * TaskManager a call comes from.
 */

/** A role in the cluster, with the TaskManager's id for a TaskManager. */
export type ClusterIdentity = { readonly role: 'jobmanager' } | { readonly role: 'taskmanager'; readonly id: string } | { readonly role: 'client' };

/** The roles a certificate can name. */
export type ClusterRole = ClusterIdentity['role'];

const SCHEME = 'sluice://';
/** A TaskManager id as the JobManager accepts it: no slash, no control characters, bounded. */
const TASK_MANAGER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The URI naming `identity` in a certificate. */
export function identityUri(identity: ClusterIdentity): string {
  if (identity.role !== 'taskmanager') return `${SCHEME}${identity.role}`;
  if (!TASK_MANAGER_ID.test(identity.id)) throw new Error(`a TaskManager id is 1 to 128 letters, digits or ._:- (got ${JSON.stringify(identity.id)})`);
  return `${SCHEME}taskmanager/${identity.id}`;
}

/** The identity a URI names, or undefined for anything else. */
export function parseIdentityUri(uri: string): ClusterIdentity | undefined {
  if (!uri.startsWith(SCHEME)) return undefined;
  const rest = uri.slice(SCHEME.length);
  if (rest === 'jobmanager' || rest === 'client') return { role: rest };
  if (!rest.startsWith('taskmanager/')) return undefined;
  const id = rest.slice('taskmanager/'.length);
  return TASK_MANAGER_ID.test(id) ? { role: 'taskmanager', id } : undefined;
}

/**
 * The identity in a verified certificate's `subjectaltname` (as Node prints it:
 * `DNS:a, IP Address:b, URI:c`); undefined when it names none or more than one.
 */
export function identityOfAltNames(subjectAltName: string | undefined): ClusterIdentity | undefined {
  if (!subjectAltName) return undefined;
  const found: ClusterIdentity[] = [];
  for (const part of subjectAltName.split(', ')) {
    if (!part.startsWith('URI:')) continue;
    const identity = parseIdentityUri(part.slice(4));
    if (identity) found.push(identity);
  }
  return found.length === 1 ? found[0] : undefined;
}

/** How an identity reads in an error message. */
export function describeIdentity(identity: ClusterIdentity): string {
  return identity.role === 'taskmanager' ? `TaskManager ${identity.id}` : identity.role === 'jobmanager' ? 'the JobManager' : 'a client';
}
