import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../access/roles.js';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') name: string;
  @Column('text') role: Role;
  @Column('uuid', { name: 'partnership_id', nullable: true }) partnershipId: string | null;
  @Column('uuid', { name: 'agency_id', nullable: true }) agencyId: string | null;
  @Column('text', { name: 'password_hash' }) passwordHash: string;
  @Column('boolean') active: boolean;
  @Column('integer', { name: 'failed_login_count' }) failedLoginCount: number;
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil: Date | null;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
