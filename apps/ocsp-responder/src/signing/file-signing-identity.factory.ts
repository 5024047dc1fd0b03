import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { SigningIdentityFactory } from './signing-identity.factory.js';
import { FileKeySigner } from './file-key.signer.js';
import type { SigningPool } from './signing-pool.js';
import type { Signer } from './signer.js';

export class SigningKeyUnavailableError extends Error {}

/** Keys are files `<keyDir>/<keyRef>` (PEM, PKCS#8 or traditional); the ref may not leave the directory. */
export class FileSigningIdentityFactory extends SigningIdentityFactory {
  private readonly cache = new Map<string, Promise<{ signer: Signer; publicKey: ReturnType<typeof createPublicKey> }>>();

  constructor(
    private readonly keyDir: string,
    private readonly pool: SigningPool,
  ) {
    super();
  }

  create(keyRef: string) {
    if (basename(keyRef) !== keyRef || keyRef.startsWith('.')) return Promise.reject(new SigningKeyUnavailableError(`key reference ${keyRef} must be a plain file name`));
    let entry = this.cache.get(keyRef);
    if (!entry) {
      entry = readFile(join(this.keyDir, keyRef)).then(
        (pem) => {
          const key = createPrivateKey(pem);
          return { signer: new FileKeySigner(key, this.pool) as Signer, publicKey: createPublicKey(key) };
        },
        (err: NodeJS.ErrnoException) => {
          throw new SigningKeyUnavailableError(`key ${keyRef} cannot be read from ${resolve(this.keyDir)} (${err.code ?? err.message}); OCSP_KEY_DIR names that folder`);
        },
      );
      entry.catch(() => this.cache.delete(keyRef));
      this.cache.set(keyRef, entry);
    }
    return entry;
  }
}
