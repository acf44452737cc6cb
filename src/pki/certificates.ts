// X.509 building blocks for the cluster PKI: ECDSA P-256 key pairs, a self-signed CA, and
// certificates it signs for servers and clients. PEM in and out, as kubeconfig and TLS want.
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const dayMs = 24 * 60 * 60 * 1000;

export interface KeyPairPem {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface SignedCertificateRequest {
  readonly commonName: string;
  readonly organizations?: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly usage: 'server' | 'client' | 'server-and-client';
  readonly validDays: number;
}

async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importPrivateKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, ecdsa, true, ['sign']);
}

function distinguishedName(commonName: string, organizations: readonly string[] = []): string {
  const escape = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [...organizations.map((o) => `O=${escape(o)}`), `CN=${escape(commonName)}`].join(', ');
}

export async function createCertificateAuthority(commonName: string, validDays = 3650): Promise<KeyPairPem> {
  const keys = await generateKeyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: distinguishedName(commonName),
    keys,
    signingAlgorithm: ecdsa,
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + validDays * dayMs),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

export async function signCertificate(ca: KeyPairPem, request: SignedCertificateRequest): Promise<KeyPairPem> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importPrivateKey(ca.keyPem);
  const keys = await generateKeyPair();
  const now = Date.now();
  const usages: x509.ExtendedKeyUsage[] = [];
  if (request.usage !== 'client') usages.push(x509.ExtendedKeyUsage.serverAuth);
  if (request.usage !== 'server') usages.push(x509.ExtendedKeyUsage.clientAuth);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(usages),
    await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
  ];
  const names = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    subject: distinguishedName(request.commonName, request.organizations),
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ecdsa,
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + request.validDays * dayMs),
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

export interface CertificateFacts {
  readonly notAfter: Date;
  readonly dnsNames: string[];
  readonly ipAddresses: string[];
  issuedBy(caPem: string): boolean;
}

/** Reads what renewal decisions need from a PEM certificate. */
export function describeCertificate(certPem: string): CertificateFacts {
  const cert = new NodeX509(certPem);
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const part of (cert.subjectAltName ?? '').split(', ')) {
    if (part.startsWith('DNS:')) dnsNames.push(part.slice(4));
    else if (part.startsWith('IP Address:')) ipAddresses.push(part.slice(11).toLowerCase());
  }
  return {
    notAfter: new Date(cert.validTo),
    dnsNames,
    ipAddresses,
    issuedBy: (caPem: string) => cert.checkIssued(new NodeX509(caPem)) && cert.verify(new NodeX509(caPem).publicKey),
  };
}
