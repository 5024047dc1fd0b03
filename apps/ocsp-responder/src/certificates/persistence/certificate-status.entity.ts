import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'certificate_statuses' })
export class CertificateStatusEntity {
  @PrimaryColumn('uuid')
  issuerId: string;

  /** Canonical lowercase hex (up to 20 octets + sign octet); never a number. */
  @PrimaryColumn({ type: 'varchar', length: 42 })
  serial: string;

  @Column({ type: 'text' })
  state: 'good' | 'revoked' | 'on_hold';

  @Column({ type: 'timestamptz', nullable: true })
  notAfter: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'smallint', nullable: true })
  reason: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  invalidityDate: Date | null;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
