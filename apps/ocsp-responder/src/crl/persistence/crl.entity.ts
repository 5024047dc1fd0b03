import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'crls' })
export class CrlEntity {
  @PrimaryColumn('uuid')
  issuerId: string;

  /** bigint column; TypeORM hands it over as a string. */
  @PrimaryColumn({ type: 'bigint' })
  crlNumber: string;

  @Column({ type: 'timestamptz' })
  thisUpdate: Date;

  @Column({ type: 'timestamptz' })
  nextUpdate: Date;

  @Column({ type: 'integer' })
  revokedCount: number;

  @Column({ type: 'bytea' })
  der: Buffer;

  /** Delta CRLs: the complete CRL they update (bigint as string); null for complete CRLs. */
  @Column({ type: 'bigint', nullable: true })
  baseCrlNumber: string | null;
}
