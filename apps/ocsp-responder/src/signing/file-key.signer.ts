import { createPrivateKey, type KeyObject } from 'node:crypto';
import { Signer, type BuiltResponses, type ResponseTemplate, type SigningKind } from './signer.js';
import { signatureAlgorithmFor, type SignatureAlgorithm } from './key-algorithms.js';
import type { SigningPool } from './signing-pool.js';

let nextId = 0;

/** A PEM/PKCS#8 private key held in memory; signatures computed on the signing pool. */
export class FileKeySigner extends Signer {
  readonly algorithmIdentifier: Buffer;
  readonly algorithmOid: string;
  private readonly algorithm: SignatureAlgorithm;
  private readonly id = `key-${++nextId}`;

  constructor(
    readonly key: KeyObject,
    private readonly pool: SigningPool,
  ) {
    super();
    this.algorithm = signatureAlgorithmFor(key);
    this.algorithmIdentifier = this.algorithm.der;
    this.algorithmOid = this.algorithm.oid;
    pool.register(this.id, key);
  }

  static fromPem(pem: string | Buffer, pool: SigningPool): FileKeySigner {
    return new FileKeySigner(createPrivateKey(pem), pool);
  }

  sign(data: Buffer, kind: SigningKind = 'live'): Promise<Buffer> {
    return this.pool.sign(this.id, this.algorithm.hash, this.algorithm.ecdsa, data, kind);
  }

  override buildResponses(template: ResponseTemplate, serials: string[], statuses: (Buffer | null)[]): Promise<BuiltResponses> | null {
    return this.pool.buildResponses(this.id, this.algorithm.hash, this.algorithm.ecdsa, template, serials, statuses);
  }
}
