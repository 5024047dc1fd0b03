import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('citizens')
export class CitizenEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('char', { length: 10 })
  nationalCode!: string;

  @Column('char', { length: 11 })
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
}
