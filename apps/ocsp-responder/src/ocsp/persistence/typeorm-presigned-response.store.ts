import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import { PresignedResponseStore, type StoredResponse } from '../application/presigned-response.store.js';
import { PresignedResponseEntity } from './presigned-response.entity.js';

/** Writes go straight to the DataSource: they are a cache copy, never part of a use case's transaction. */
@Injectable()
export class TypeOrmPresignedResponseStore extends PresignedResponseStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async loadAll(): Promise<StoredResponse[]> {
    const rows = await this.dataSource.getRepository(PresignedResponseEntity).find({ where: { nextUpdate: MoreThan(new Date()) } });
    return rows.map((r) => ({
      certIdDer: r.certId,
      issuerId: r.issuerId,
      serial: r.serial,
      der: r.response,
      status: r.status,
      producedAt: r.producedAt,
      thisUpdate: r.thisUpdate,
      nextUpdate: r.nextUpdate,
      statusVersion: r.statusVersion,
    }));
  }

  async save(responses: StoredResponse[]): Promise<void> {
    if (responses.length === 0) return;
    await this.dataSource.getRepository(PresignedResponseEntity).upsert(
      responses.map((r) => ({
        certId: r.certIdDer,
        issuerId: r.issuerId,
        serial: r.serial,
        response: r.der,
        status: r.status,
        producedAt: r.producedAt,
        thisUpdate: r.thisUpdate,
        nextUpdate: r.nextUpdate,
        statusVersion: r.statusVersion,
      })),
      ['certId'],
    );
  }
}
