import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message to one person. It names a case by reference and pseudonym, never by a real name. */
@Entity('notification')
export class Notification {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  @Column('uuid', { name: 'alert_id', nullable: true }) alertId: string | null;
  @Column('text') kind: string;
  @Column('text') title: string;
  @Column('text') body: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt: Date | null;
}
