import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('service_clients')
export class ServiceClientEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  clientId!: string;

  @Column('text')
  secretHash!: string;

  @Column('text')
  displayName!: string;

  @Column('text', { array: true })
  roles!: string[];

  @Column('text', { array: true })
  scopes!: string[];

  @Column('uuid', { nullable: true })
  agencyId!: string | null;

  @Column('text', { nullable: true })
  operatorCode!: string | null;

  @Column('text', { array: true, nullable: true })
  caIssuers!: string[] | null;

  @Column('text')
  status!: string;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  secretRotatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  disabledAt!: Date | null;
}
