import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'ocsp_responses' })
@Index(['issuerId', 'serial'])
export class PresignedResponseEntity {
  /** DER CertID the response answers (exact bytes, echoed to clients). */
  @PrimaryColumn({ type: 'bytea' })
  certId: Buffer;

  @Column('uuid')
  issuerId: string;

  @Column({ type: 'varchar', length: 42 })
  serial: string;

  @Column({ type: 'bytea' })
  response: Buffer;

  @Column({ type: 'text' })
  status: 'good' | 'revoked' | 'unknown';

  @Column({ type: 'timestamptz' })
  producedAt: Date;

  @Column({ type: 'timestamptz' })
  thisUpdate: Date;

  @Column({ type: 'timestamptz' })
  nextUpdate: Date;

  @Column({ type: 'timestamptz' })
  statusVersion: Date;

  /** Fingerprint of the signing profile (see StoredResponse.profile). */
  @Column({ type: 'text' })
  profile: string;
}
