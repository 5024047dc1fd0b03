import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { certificateInfo, pemToDer, type CertificateInfo } from '../../pki/certificate-info.js';
import { SigningIdentityFactory } from '../../signing/signing-identity.factory.js';
import { ISSUER_ALIAS_PATTERN } from '@darvazeh/core';
import { validateSigningIdentity, type Issuer } from '../domain/issuer.js';
import { IssuerAliasTakenError, IssuerAlreadyRegisteredError, InvalidSigningIdentityError } from '../domain/issuer.errors.js';
import { IssuerRepository } from '../domain/issuer.repository.js';
import { IssuerActivator } from './issuer-activator.js';

export interface RegisterIssuerInput {
  alias: string;
  certificatePem: string;
  responderCertificatePem?: string;
  signingKeyRef: string;
  crlKeyRef?: string;
}

/** Registers a CA with its signing identity, after checking the identity may sign for it. */
@Injectable()
export class RegisterIssuerUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly issuers: IssuerRepository,
    private readonly signers: SigningIdentityFactory,
    private readonly activator: IssuerActivator,
  ) {}

  async execute(input: RegisterIssuerInput): Promise<Issuer> {
    if (!ISSUER_ALIAS_PATTERN.test(input.alias))
      throw new InvalidSigningIdentityError([{ field: 'alias', message: 'must be lowercase letters, digits and hyphens (max 63)' }]);
    const ca = parseCert(input.certificatePem, 'certificatePem');
    const responder = input.responderCertificatePem ? parseCert(input.responderCertificatePem, 'responderCertificatePem') : null;
    const identity = await this.signers.create(input.signingKeyRef).catch((err: Error) => {
      throw new InvalidSigningIdentityError([{ field: 'signingKeyRef', message: err.message }]);
    });
    const problems = validateSigningIdentity(ca, responder, identity.publicKey, new Date());
    if (input.crlKeyRef) {
      const crl = await this.signers.create(input.crlKeyRef).catch((err: Error) => {
        throw new InvalidSigningIdentityError([{ field: 'crlKeyRef', message: err.message }]);
      });
      problems.push(...validateSigningIdentity(ca, null, crl.publicKey, new Date()).map((p) => ({ ...p, field: p.field === 'signingKey' ? 'crlKeyRef' : p.field })));
    }
    if (problems.length) throw new InvalidSigningIdentityError(problems);
    const issuer: Issuer = {
      id: randomUUID(),
      alias: input.alias,
      certificateDer: ca.der,
      responderCertificateDer: responder?.der ?? null,
      signingKeyRef: input.signingKeyRef,
      crlKeyRef: input.crlKeyRef ?? null,
      createdAt: new Date(),
    };
    await this.tx.run(async () => {
      if (await this.issuers.findByAlias(input.alias)) throw new IssuerAliasTakenError(input.alias);
      const existing = (await this.issuers.findAll()).find((i) => i.certificateDer.equals(ca.der));
      if (existing) throw new IssuerAlreadyRegisteredError(existing.alias);
      await this.issuers.insert(issuer);
    });
    await this.activator.activate(issuer);
    return issuer;
  }
}

function parseCert(pem: string, field: string): CertificateInfo {
  try {
    return certificateInfo(pem.includes('-----BEGIN') ? pem : pemToDer(pem));
  } catch {
    throw new InvalidSigningIdentityError([{ field, message: 'is not a PEM X.509 certificate' }]);
  }
}
