import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Delta CRLs (RFC 5280 §5.2.4) share the CRL number sequence; they name the complete CRL they update. */
export class DeltaCrls1765000001000 implements MigrationInterface {
  name = 'DeltaCrls1765000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table crls add column base_crl_number bigint check (base_crl_number is null or base_crl_number < crl_number)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table crls drop column base_crl_number');
  }
}
