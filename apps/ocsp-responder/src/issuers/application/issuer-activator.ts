import { SigningIdentityFactory } from '../../signing/signing-identity.factory.js';
import type { Issuer, ResponderIdMode } from '../domain/issuer.js';
import type { ActiveIssuer, IssuerDirectory } from './issuer-directory.js';

/** Loads an issuer's signers and puts it in the directory (at start and after registration). */
export class IssuerActivator {
  constructor(
    private readonly directory: IssuerDirectory,
    private readonly signers: SigningIdentityFactory,
    private readonly responderIdMode: ResponderIdMode,
    private readonly onActivated: (issuer: ActiveIssuer) => Promise<void> = async () => undefined,
  ) {}

  async activate(issuer: Issuer): Promise<ActiveIssuer> {
    const { signer, publicKey } = await this.signers.create(issuer.signingKeyRef);
    const crlSigner = issuer.crlKeyRef ? (await this.signers.create(issuer.crlKeyRef)).signer : null;
    const active = this.directory.activate(issuer, signer, this.responderIdMode, crlSigner, publicKey);
    await this.onActivated(active);
    return active;
  }
}
