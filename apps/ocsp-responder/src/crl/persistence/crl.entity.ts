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
}
