import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/**
 * Encrypts signing private keys at rest with AES-256-GCM under a key derived from
 * KEY_ENCRYPTION_SECRET (config, never stored in the database). A database dump alone then
 * cannot mint tokens. The kid is bound as additional authenticated data so a ciphertext
 * copied onto another key's row fails to decrypt instead of signing under the wrong kid.
 * Format: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export class PrivateKeyCipher {
  private readonly key: Buffer;

  constructor(secret: string) {
    // scrypt (not a bare hash) because operators may configure a passphrase, not random bytes.
    this.key = scryptSync(secret, 'darvazeh.identity.signing-keys.v1', 32, { N: 2 ** 14, r: 8, p: 1 });
  }

  encrypt(plaintext: string, kid: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(kid));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  decrypt(encoded: string, kid: string): string {
    const [version, iv, tag, ct] = encoded.split('.');
    if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown private key ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}
