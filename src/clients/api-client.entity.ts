import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ClientScope } from '../access/client-principal.js';

/** A REST client (service account). Its secret is kept only as a SHA-256 hash. */
@Entity('api_client')
export class ApiClient {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  /** The public identifier the client signs in with (`client_id`). */
  @Column('text', { name: 'client_id' }) clientId: string;
  @Column('text') name: string;
  @Column('uuid', { name: 'partnership_id', nullable: true }) partnershipId: string | null;
  @Column('date', { name: 'expires_on', nullable: true }) expiresOn: string | null;
  @Column('text', { name: 'secret_hash' }) secretHash: string;
  @Column('integer', { name: 'secret_generation' }) secretGeneration: number;
  @Column('uuid', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'secret_rotated_at', nullable: true }) secretRotatedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('uuid', { name: 'revoked_by', nullable: true }) revokedBy: string | null;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
}

/** One scope a client may use. */
@Entity('api_client_scope')
export class ApiClientScope {
  @PrimaryColumn('uuid', { name: 'client_id' }) clientId: string;
  @PrimaryColumn('text') scope: ClientScope;
}
