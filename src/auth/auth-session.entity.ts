import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One sign-in: the refresh token's hash rotates on every refresh. */
@Entity('auth_session')
export class AuthSession {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text', { name: 'refresh_token_hash' }) refreshTokenHash: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'refreshed_at', nullable: true }) refreshedAt: Date | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('text', { name: 'revoked_reason', nullable: true }) revokedReason: string | null;
  @Column('text', { nullable: true }) ip: string | null;
}
