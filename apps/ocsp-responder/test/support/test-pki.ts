import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs openssl and returns stdout+stderr (openssl ocsp prints "Response verify OK" on stderr). */
export function openssl(args: string[], options: { cwd?: string; allowFail?: boolean } = {}): string {
  try {
    return execFileSync('openssl', args, { cwd: options.cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) as string;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    if (options.allowFail) return out;
    throw new Error(`openssl ${args.join(' ')} failed:\n${out}`, { cause: err });
  }
}

/** openssl with stdout and stderr combined, whatever the exit code (for asserting on output). */
export function opensslAll(args: string[], cwd?: string): string {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

export interface TestCa {
  name: string;
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

export interface TestLeaf {
  certPath: string;
  serialHex: string;
}

const EXT = `
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_ocsp ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

/**
 * A throw-away PKI made with the openssl CLI: root (RSA) → "rsa" intermediate (RSA 2048) and
 * "ec" intermediate (ECDSA P-256), a delegated OCSP responder under "rsa" (id-kp-OCSPSigning +
 * id-pkix-ocsp-nocheck), and leaves issued on demand.
 */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'ocsp-test-pki-'));
  readonly root: TestCa;
  readonly rsa: TestCa;
  readonly ec: TestCa;
  readonly ecP384Responder: TestCa;
  readonly rsaResponder: TestCa;
  /** Root + both intermediates, for -CAfile. */
  readonly chainPath: string;
  private serialSeq = 0n;

  constructor() {
    writeFileSync(join(this.dir, 'ext.cnf'), EXT);
    this.root = this.makeKey('root', 'rsa');
    this.selfSign(this.root);
    this.rsa = this.makeKey('rsa-ca', 'rsa');
    this.sign(this.rsa, this.root, 'v3_ca', '1001');
    this.ec = this.makeKey('ec-ca', 'ec');
    this.sign(this.ec, this.root, 'v3_ca', '1002');
    this.rsaResponder = this.makeKey('rsa-ocsp', 'ec');
    this.sign(this.rsaResponder, this.rsa, 'v3_ocsp', '2001');
    this.ecP384Responder = this.makeKey('ec-ocsp', 'p384');
    this.sign(this.ecP384Responder, this.ec, 'v3_ocsp', '2002');
    this.chainPath = join(this.dir, 'chain.pem');
    writeFileSync(this.chainPath, this.root.certPem + this.rsa.certPem + this.ec.certPem);
  }

  /** Issues a leaf; a serial with the top bit set and 20 octets exercises big serials. */
  leaf(ca: TestCa, serialHex?: string): TestLeaf {
    const serial = serialHex ?? (0x7a00000000000000000000000000000000000000n + ++this.serialSeq).toString(16);
    const name = `leaf-${ca.name}-${serial}`;
    const leaf = this.makeKey(name, 'ec');
    this.sign(leaf, ca, 'v3_leaf', serial);
    return { certPath: leaf.certPath, serialHex: serial.toLowerCase().replace(/^0+/, '') };
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private makeKey(name: string, kind: 'rsa' | 'ec' | 'p384'): TestCa {
    const keyPath = join(this.dir, `${name}.key`);
    const algo =
      kind === 'rsa'
        ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
        : ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${kind === 'ec' ? 'P-256' : 'P-384'}`];
    openssl(['genpkey', ...algo, '-out', keyPath]);
    return { name, keyPath, certPath: join(this.dir, `${name}.pem`), keyPem: readFileSync(keyPath, 'utf8'), certPem: '' };
  }

  private selfSign(ca: TestCa): void {
    openssl(['req', '-x509', '-new', '-key', ca.keyPath, '-subj', `/C=IR/O=Darvazeh Test/CN=${ca.name}`, '-days', '3650', '-sha256',
      '-config', join(this.dir, 'ext.cnf'), '-extensions', 'v3_ca', '-set_serial', '0x1000', '-out', ca.certPath]);
    ca.certPem = readFileSync(ca.certPath, 'utf8');
  }

  private sign(subject: TestCa, issuer: TestCa, ext: string, serialHex: string): void {
    const csr = join(this.dir, `${subject.name}.csr`);
    openssl(['req', '-new', '-key', subject.keyPath, '-subj', `/C=IR/O=Darvazeh Test/CN=${subject.name}`, '-out', csr]);
    openssl(['x509', '-req', '-in', csr, '-CA', issuer.certPath, '-CAkey', issuer.keyPath, '-set_serial', `0x${serialHex}`,
      '-days', '825', '-sha256', '-extfile', join(this.dir, 'ext.cnf'), '-extensions', ext, '-out', subject.certPath]);
    subject.certPem = readFileSync(subject.certPath, 'utf8');
  }
}

/**
 * openssl without blocking the event loop (the responder under test runs in this process),
 * stdout and stderr combined.
 */
export function opensslAsync(args: string[], cwd?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { cwd });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

export function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args);
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(chunks).toString('latin1') + err, stdout: Buffer.concat(chunks) }));
  });
}
