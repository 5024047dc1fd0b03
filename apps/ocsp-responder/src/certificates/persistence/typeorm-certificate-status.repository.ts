import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TransactionRunner } from '@darvazeh/database';
import { CertificateStatusRepository } from '../domain/certificate-status.repository.js';
import type { CertificateStatus } from '../domain/certificate-status.js';
import type { RevocationReasonCode } from '../domain/revocation-reason.js';
import { CertificateStatusEntity } from './certificate-status.entity.js';

const toDomain = (e: CertificateStatusEntity): CertificateStatus => ({
  issuerId: e.issuerId,
  serial: e.serial,
  state: e.state,
  notAfter: e.notAfter,
  revokedAt: e.revokedAt,
  reason: e.reason as RevocationReasonCode | null,
  invalidityDate: e.invalidityDate,
  updatedAt: e.updatedAt,
});

const BULK_CHUNK = 10_000;
/** From this many records on, saveMany streams them with COPY into a staging table (one statement). */
const COPY_FROM_ROWS = 20_000;
/** Records per chunk of COPY text pushed into the stream. */
const COPY_CHUNK = 5_000;

interface StatusRow {
  issuer_id: string;
  serial: string;
  state: CertificateStatus['state'];
  not_after: Date | null;
  revoked_at: Date | null;
  reason: number | null;
  invalidity_date: Date | null;
  updated_at: Date;
}

const fromRow = (r: StatusRow): CertificateStatus => ({
  issuerId: r.issuer_id,
  serial: r.serial,
  state: r.state,
  notAfter: r.not_after,
  revokedAt: r.revoked_at,
  reason: r.reason as RevocationReasonCode | null,
  invalidityDate: r.invalidity_date,
  updatedAt: r.updated_at,
});

@Injectable()
export class TypeOrmCertificateStatusRepository extends CertificateStatusRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  private get repo() {
    return this.tx.manager().getRepository(CertificateStatusEntity);
  }

  async find(issuerId: string, serial: string): Promise<CertificateStatus | null> {
    const manager = this.tx.manager();
    const inTx = manager.queryRunner?.isTransactionActive === true;
    // Inside a use case's transaction, lock the row: two revocations of one certificate serialise.
    const e = await manager.getRepository(CertificateStatusEntity).findOne({
      where: { issuerId, serial },
      ...(inTx ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return e ? toDomain(e) : null;
  }

  async save(s: CertificateStatus): Promise<void> {
    await this.repo.upsert({ ...s }, ['issuerId', 'serial']);
  }

  async findMany(issuerId: string, serials: string[]): Promise<Map<string, CertificateStatus>> {
    const manager = this.tx.manager();
    const lock = manager.queryRunner?.isTransactionActive === true ? ' for update' : '';
    const found = new Map<string, CertificateStatus>();
    for (let i = 0; i < serials.length; i += BULK_CHUNK) {
      const rows = (await manager.query(
        `select issuer_id, serial, state, not_after, revoked_at, reason, invalidity_date, updated_at
           from certificate_statuses where issuer_id = $1 and serial = any($2::varchar[])${lock}`,
        [issuerId, serials.slice(i, i + BULK_CHUNK)],
      )) as StatusRow[];
      for (const r of rows) found.set(r.serial, fromRow(r));
    }
    return found;
  }

  /**
   * One `insert … select from unnest(…)` per chunk: nine array parameters whatever the row count,
   * where TypeORM's upsert builds (and PostgreSQL parses) nine placeholders per row — a 200,000-row
   * CSV took minutes that way, one round trip per row.
   */
  async saveMany(statuses: CertificateStatus[]): Promise<void> {
    const manager = this.tx.manager();
    const runner = manager.queryRunner;
    if (statuses.length >= COPY_FROM_ROWS && runner?.isTransactionActive) {
      await this.copyMany((runner as unknown as { databaseConnection?: PoolClient }).databaseConnection ?? null, statuses);
      return;
    }
    for (let i = 0; i < statuses.length; i += BULK_CHUNK) {
      const chunk = statuses.slice(i, i + BULK_CHUNK);
      const col = <T>(f: (s: CertificateStatus) => T) => chunk.map(f);
      await manager.query(
        `insert into certificate_statuses (issuer_id, serial, state, not_after, revoked_at, reason, invalidity_date, updated_at)
         select * from unnest($1::uuid[], $2::varchar[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::smallint[], $7::timestamptz[], $8::timestamptz[])
         on conflict (issuer_id, serial) do update set
           state = excluded.state, not_after = excluded.not_after, revoked_at = excluded.revoked_at,
           reason = excluded.reason, invalidity_date = excluded.invalidity_date, updated_at = excluded.updated_at`,
        [
          col((s) => s.issuerId),
          col((s) => s.serial),
          col((s) => s.state),
          col((s) => s.notAfter),
          col((s) => s.revokedAt),
          col((s) => s.reason),
          col((s) => s.invalidityDate),
          col((s) => s.updatedAt),
        ],
      );
    }
  }

  /**
   * A million-row import: the records streamed with COPY (text format, generated chunk by chunk,
   * never one giant string) into a temporary table dropped at commit, then one upsert from it —
   * on the ambient transaction's own connection, so it commits or rolls back with the use case.
   */
  private async copyMany(client: PoolClient | null, statuses: CertificateStatus[]): Promise<void> {
    if (!client) throw new Error('COPY needs the PostgreSQL connection of the ambient transaction');
    await client.query(
      `create temp table certificate_statuses_import (like certificate_statuses including defaults) on commit drop`,
    );
    const ts = (d: Date | null) => (d ? d.toISOString() : '\\N');
    async function* lines(): AsyncGenerator<string> {
      for (let i = 0; i < statuses.length; i += COPY_CHUNK) {
        let text = '';
        for (const st of statuses.slice(i, i + COPY_CHUNK)) {
          // Serials are hex and states fixed words: nothing to escape in COPY's text format.
          text += `${st.issuerId}\t${st.serial}\t${st.state}\t${ts(st.notAfter)}\t${ts(st.revokedAt)}\t${st.reason ?? '\\N'}\t${ts(st.invalidityDate)}\t${st.updatedAt.toISOString()}\n`;
        }
        yield text;
      }
    }
    await pipeline(
      Readable.from(lines()),
      client.query(copyFrom('copy certificate_statuses_import (issuer_id, serial, state, not_after, revoked_at, reason, invalidity_date, updated_at) from stdin')),
    );
    await client.query(
      `insert into certificate_statuses (issuer_id, serial, state, not_after, revoked_at, reason, invalidity_date, updated_at)
       select issuer_id, serial, state, not_after, revoked_at, reason, invalidity_date, updated_at from certificate_statuses_import
       on conflict (issuer_id, serial) do update set
         state = excluded.state, not_after = excluded.not_after, revoked_at = excluded.revoked_at,
         reason = excluded.reason, invalidity_date = excluded.invalidity_date, updated_at = excluded.updated_at`,
    );
    await client.query('drop table certificate_statuses_import');
  }

  async findAll(): Promise<CertificateStatus[]> {
    return (await this.repo.find()).map(toDomain);
  }

  async findRevoked(issuerId: string): Promise<CertificateStatus[]> {
    return (
      await this.repo
        .createQueryBuilder('s')
        .where('s.issuer_id = :issuerId', { issuerId })
        .andWhere("s.state in ('revoked', 'on_hold')")
        .orderBy('s.revoked_at', 'ASC')
        .getMany()
    ).map(toDomain);
  }
}
