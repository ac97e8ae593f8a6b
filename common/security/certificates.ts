/**
 * A cluster CA and the certificates it issues, made on the fly with @peculiar/x509 on Node's
 * WebCrypto: `sluice local`, `sluice run` and the tests make a fresh CA per cluster, so that the
 * mutual-TLS path is the one that runs everywhere. Keys are ECDSA P-256 (a CA and a handful of
 * certificates take tens of milliseconds).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { identityUri, type ClusterIdentity } from './cluster-identity.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Clock skew a fresh certificate tolerates. */
const BACKDATE_MS = 5 * 60_000;

/** A certificate and its private key, PEM-encoded. */
export interface PemCertificate {
  readonly cert: string;
  readonly key: string;
}

/** A certificate authority that can issue cluster certificates. */
export interface ClusterCa extends PemCertificate {
  readonly keys: CryptoKeyPair;
  readonly subject: string;
}

/** Options of a certificate. */
export interface CertificateOptions {
  /** Host names and IP addresses the certificate's holder serves on; default localhost, 127.0.0.1, ::1. */
  readonly hosts?: readonly string[];
  /** Default 30 days. */
  readonly validDays?: number;
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * 86_400_000) };
}

/** Makes a new self-signed CA for one cluster. */
export async function createClusterCa(options: { readonly name?: string; readonly validDays?: number } = {}): Promise<ClusterCa> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const subject = `CN=${options.name ?? 'Sluice cluster CA'}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: subject,
    ...validity(options.validDays ?? 30),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys), keys, subject };
}

function altName(host: string): x509.JsonGeneralName {
  return /^[\d.]+$/.test(host) || host.includes(':') ? { type: 'ip', value: host } : { type: 'dns', value: host };
}

/** Issues a certificate for one identity, usable as both TLS server and client. */
export async function issueCertificate(ca: ClusterCa, identity: ClusterIdentity, options: CertificateOptions = {}): Promise<PemCertificate> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const hosts = options.hosts ?? ['localhost', '127.0.0.1', '::1'];
  const uri = identityUri(identity);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${uri.slice('sluice://'.length)}`,
    issuer: ca.subject,
    ...validity(options.validDays ?? 30),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([...hosts.map(altName), { type: 'url', value: uri }]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys) };
}
