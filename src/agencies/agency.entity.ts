import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const SECTORS = [
  'police',
  'health',
  'local_authority',
  'probation',
  'education',
  'housing',
  'voluntary',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

/** A body that takes part in reviews: police, NHS trust, council, charity… */
@Entity('agency')
export class Agency {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') sector: Sector;
  @Column('boolean') active: boolean;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
