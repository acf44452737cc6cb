// The server's certificates, created on first start under <data-dir>/server/tls and reused
// after: cluster CA, API serving certificate (renewed when its names change or it nears expiry),
// admin client certificate, and the static admin token.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDirLayout, writeFileAtomic } from '../files/index.js';
import { createCertificateAuthority, describeCertificate, signCertificate, type KeyPairPem } from './certificates.js';

export interface ClusterPki {
  readonly ca: KeyPairPem;
  readonly serving: KeyPairPem;
  readonly admin: KeyPairPem;
  readonly adminToken: string;
  readonly dir: string;
}

export interface ServingNames {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

const renewBeforeMs = 90 * 24 * 60 * 60 * 1000;

async function readPair(dir: string, name: string): Promise<KeyPairPem | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([readFile(join(dir, `${name}.crt`), 'utf8'), readFile(join(dir, `${name}.key`), 'utf8')]);
    return { certPem, keyPem };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writePair(dir: string, name: string, pair: KeyPairPem): Promise<void> {
  await writeFileAtomic(join(dir, `${name}.key`), pair.keyPem, 0o600);
  await writeFileAtomic(join(dir, `${name}.crt`), pair.certPem, 0o644);
}

function needsRenewal(pair: KeyPairPem, ca: KeyPairPem, names?: ServingNames): boolean {
  const facts = describeCertificate(pair.certPem);
  if (!facts.issuedBy(ca.certPem)) return true;
  if (facts.notAfter.getTime() - Date.now() < renewBeforeMs) return true;
  if (names) {
    if (names.dnsNames.some((n) => !facts.dnsNames.includes(n))) return true;
    if (names.ipAddresses.some((ip) => !facts.ipAddresses.includes(ip.toLowerCase()))) return true;
  }
  return false;
}

export async function loadOrCreateClusterPki(dataDir: string, names: ServingNames): Promise<ClusterPki> {
  const dir = dataDirLayout(dataDir).serverTls;
  await mkdir(dir, { recursive: true, mode: 0o700 });

  let ca = await readPair(dir, 'ca');
  if (!ca) {
    ca = await createCertificateAuthority(`skiff-ca@${Math.floor(Date.now() / 1000)}`);
    await writePair(dir, 'ca', ca);
  }

  let serving = await readPair(dir, 'serving');
  if (!serving || needsRenewal(serving, ca, names)) {
    serving = await signCertificate(ca, {
      commonName: 'kube-apiserver',
      dnsNames: names.dnsNames,
      ipAddresses: names.ipAddresses,
      usage: 'server',
      validDays: 365,
    });
    await writePair(dir, 'serving', serving);
  }

  let admin = await readPair(dir, 'client-admin');
  if (!admin || needsRenewal(admin, ca)) {
    admin = await signCertificate(ca, { commonName: 'system:admin', organizations: ['system:masters'], usage: 'client', validDays: 365 });
    await writePair(dir, 'client-admin', admin);
  }

  const tokenPath = dataDirLayout(dataDir).serverToken;
  let adminToken: string;
  try {
    adminToken = (await readFile(tokenPath, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    adminToken = randomBytes(24).toString('hex');
    await writeFileAtomic(tokenPath, `${adminToken}\n`, 0o600);
  }
  return { ca, serving, admin, adminToken, dir };
}
