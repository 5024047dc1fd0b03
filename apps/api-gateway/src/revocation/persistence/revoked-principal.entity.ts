import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Agencies and principals disabled at identity, as the gateway last heard (kept across restarts). */
@Entity({ name: 'revoked_principals' })
export class RevokedPrincipalEntity {
  /** `agency` (key: agency id) or `principal` (key: token `sub`). */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind!: 'agency' | 'principal';

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ type: 'boolean' })
  disabled!: boolean;

  /** Time of the event that set this state; an older event never overwrites a newer one. */
  @Column({ type: 'timestamptz' })
  changedAt!: Date;
}
