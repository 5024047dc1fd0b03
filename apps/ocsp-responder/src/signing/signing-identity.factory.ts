import type { KeyObject } from 'node:crypto';
import type { Signer } from './signer.js';

/**
 * Turns a key reference (as registered with an issuer) into a Signer. The default reads PEM /
 * PKCS#8 files from a directory (a mounted k8s Secret); an HSM/KMS adapter resolves the
 * reference to a remote key instead and returns only its public half.
 */
export abstract class SigningIdentityFactory {
  abstract create(keyRef: string): Promise<{ signer: Signer; publicKey: KeyObject }>;
}
