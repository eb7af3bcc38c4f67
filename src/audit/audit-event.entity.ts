import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One line of the append-only audit trail (the database refuses UPDATE and DELETE). */
@Entity('audit_event')
export class AuditEvent {
  @PrimaryColumn({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column({ type: 'uuid', insert: false, update: false }) id: string;
  @Column({ type: 'timestamptz', name: 'occurred_at', insert: false, update: false }) occurredAt: Date;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { name: 'actor_role', nullable: true }) actorRole: string | null;
  /** The REST client the event was done by (its api_client id), when it was not a person. */
  @Column('uuid', { name: 'client_id', nullable: true }) clientId: string | null;
  @Column('text') action: string;
  @Column('text', { name: 'entity_type', nullable: true }) entityType: string | null;
  @Column('text', { name: 'entity_id', nullable: true }) entityId: string | null;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  @Column('uuid', { name: 'partnership_id', nullable: true }) partnershipId: string | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId: string | null;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('jsonb', { nullable: true }) changes: Record<string, unknown> | null;
  @Column('jsonb', { nullable: true }) details: Record<string, unknown> | null;
  /**
   * The event's link in its month's hash chain, set by the database's trigger
   * on every insert, never by the application (docs/architecture.md, "The
   * audit trail's hash chain"); read by `npm run audit:verify` alone.
   */
  @Column({ type: 'bigint', name: 'chain_position', nullable: true, insert: false, update: false, select: false }) chainPosition: string | null;
  @Column({ type: 'bytea', name: 'prev_hash', nullable: true, insert: false, update: false, select: false }) prevHash: Buffer | null;
  @Column({ type: 'bytea', nullable: true, insert: false, update: false, select: false }) hash: Buffer | null;
}
