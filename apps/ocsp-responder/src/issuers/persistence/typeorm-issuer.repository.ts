import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { IssuerRepository } from '../domain/issuer.repository.js';
import type { Issuer } from '../domain/issuer.js';
import { IssuerEntity } from './issuer.entity.js';

const toDomain = (e: IssuerEntity): Issuer => ({
  id: e.id,
  alias: e.alias,
  certificateDer: e.certificate,
  responderCertificateDer: e.responderCertificate,
  signingKeyRef: e.signingKeyRef,
  crlKeyRef: e.crlKeyRef,
  createdAt: e.createdAt,
});

@Injectable()
export class TypeOrmIssuerRepository extends IssuerRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get repo() {
    return this.tx.manager().getRepository(IssuerEntity);
  }

  async findAll(): Promise<Issuer[]> {
    return (await this.repo.find({ order: { alias: 'ASC' } })).map(toDomain);
  }

  async findByAlias(alias: string): Promise<Issuer | null> {
    const e = await this.repo.findOneBy({ alias });
    return e ? toDomain(e) : null;
  }

  async insert(issuer: Issuer): Promise<void> {
    await this.repo.insert({
      id: issuer.id,
      alias: issuer.alias,
      certificate: issuer.certificateDer,
      responderCertificate: issuer.responderCertificateDer,
      signingKeyRef: issuer.signingKeyRef,
      crlKeyRef: issuer.crlKeyRef,
      createdAt: issuer.createdAt,
    });
  }
}
