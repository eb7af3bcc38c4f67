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
  /** Wrong passwords in a row, from any address; a sign-in resets it. */
  @Column('integer', { name: 'failed_login_count' }) failedLoginCount: number;
  /** Set when sign-in locked after too many of them; only the unlock link or an administrator clears it. */
  @Column('timestamptz', { name: 'locked_at', nullable: true }) lockedAt: Date | null;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
