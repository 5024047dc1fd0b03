import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('agencies')
export class AgencyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('char', { length: 11 })
  nationalId!: string;

  @Column('text')
  parentMinistry!: string;

  @Column('text')
  type!: string;

  @Column('text')
  status!: string;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  disabledAt!: Date | null;
}
