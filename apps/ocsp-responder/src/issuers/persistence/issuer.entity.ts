import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'issuers' })
export class IssuerEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  alias: string;

  @Column({ type: 'bytea' })
  certificate: Buffer;

  @Column({ type: 'bytea', nullable: true })
  responderCertificate: Buffer | null;

  @Column({ type: 'text' })
  signingKeyRef: string;

  @Column({ type: 'text', nullable: true })
  crlKeyRef: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
