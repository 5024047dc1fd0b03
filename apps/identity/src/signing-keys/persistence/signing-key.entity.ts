import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PublicJwk } from '../domain/signing-key.js';

@Entity('signing_keys')
export class SigningKeyEntity {
  @PrimaryColumn('text')
  kid!: string;

  @Column('text')
  alg!: string;

  @Column('jsonb')
  publicJwk!: PublicJwk;

  @Column('text', { nullable: true })
  privateKeyCiphertext!: string | null;

  @Column('text')
  status!: string;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  deactivatedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  retireAfter!: Date | null;

  @Column('timestamptz', { nullable: true })
  retiredAt!: Date | null;
}
