import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('citizens')
export class CitizenEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('char', { length: 10 })
  nationalCode!: string;

  /** Canonical MSISDN `989XXXXXXXXX` (@darvazeh/core parseMsisdn). */
  @Column('char', { length: 12 })
  mobile!: string;

  @Column('text')
  status!: string;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  disabledAt!: Date | null;
}

@Entity('otp_challenges')
export class OtpChallengeEntity {
  @PrimaryColumn('uuid')
  citizenId!: string;

  @Column('text')
  codeHash!: string;

  @Column('timestamptz')
  sentAt!: Date;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('integer')
  attempts!: number;

  @Column('integer')
  maxAttempts!: number;

  @Column('timestamptz', { nullable: true })
  consumedAt!: Date | null;

  @Column('integer')
  failures!: number;

  @Column('timestamptz', { nullable: true })
  lockedUntil!: Date | null;
}
