import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

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
  /** E-mailed by the person's daily digest rather than at once (docs/architecture.md, "Notifications"). */
  @Column('boolean', { name: 'awaits_digest' }) awaitsDigest: boolean;
  /** The digest that took it; null while it waits (or when it was e-mailed at once). */
  @Column('uuid', { name: 'digest_id', nullable: true }) digestId: string | null;
}

/** How a person is e-mailed their notifications: each at once, or once a day. */
export const EMAIL_DELIVERIES = ['immediate', 'daily_digest'] as const;
export type EmailDelivery = (typeof EMAIL_DELIVERIES)[number];

/** Someone who would be e-mailed and has no setting of their own is e-mailed a daily digest. */
export const DEFAULT_EMAIL_DELIVERY: EmailDelivery = 'daily_digest';

/** A person's own notification setting; no row means the defaults. */
@Entity('notification_setting')
export class NotificationSetting {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @Column('text', { name: 'email_delivery' }) emailDelivery: EmailDelivery;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** One person's digest of one day: at most one (notification_digest_once). */
@Entity('notification_digest')
export class NotificationDigest {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('date', { name: 'digest_on' }) digestOn: string;
  /** The summary notification, e-mailed; null when nothing the person may still see was waiting. */
  @Column('uuid', { name: 'notification_id', nullable: true }) notificationId: string | null;
  /** How many notifications it listed. */
  @Column('integer') notices: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
