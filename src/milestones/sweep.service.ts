import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronJob } from 'cron';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MailService } from '../notifications/mail.service.js';
import type { Milestone } from './engine.js';
import type { CaseForMilestones } from './milestone-facts.js';
import { MilestonesService } from './milestones.service.js';

/** Any fixed number: every instance takes the same lock, so only one sweeps at a time. */
const SWEEP_LOCK_KEY = 720_4201_2012;

type AlertState = 'due_soon' | 'overdue';

interface Candidate {
  entry: CaseForMilestones;
  milestone: Milestone & { status: AlertState; dueOn: string };
}

export interface SweepResult {
  today: string;
  skipped: boolean;
  casesChecked: number;
  alertsRaised: number;
  notificationsSent: number;
}

function alertWording(c: Candidate): { kind: string; title: string; body: string } {
  const { entry, milestone } = c;
  const who = `${entry.reference} (${entry.pseudonym ?? 'no pseudonym yet'})`;
  const when = milestone.status === 'due_soon' ? `is due on ${milestone.dueOn}` : `was due on ${milestone.dueOn} and is overdue`;
  return {
    kind: `milestone_${milestone.status}`,
    title: `${who}: ${milestone.title} ${when}`,
    body: [
      `Case: ${who}`,
      `Milestone: ${milestone.title}`,
      `Due: ${milestone.dueOn}${milestone.daysOnHold > 0 ? ` (${milestone.daysOnHold} days on hold; adjusted ${milestone.adjustedDueOn})` : ''}`,
      `Basis: ${milestone.basis}`,
    ].join('\n'),
  };
}

/**
 * The daily sweep: computes every open case's milestones and raises a
 * notification when one enters due_soon and when it becomes overdue, once
 * per milestone and state. An advisory lock lets one instance sweep at a
 * time; the unique constraint on milestone_alert makes a repeat harmless.
 */
@Injectable()
export class SweepService implements OnApplicationBootstrap {
  private readonly logger = new Logger('MilestoneSweep');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly milestones: MilestonesService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.sweepCron) return;
    const job = CronJob.from({
      cronTime: this.config.sweepCron,
      timeZone: 'Europe/London',
      onTick: () => void this.run().catch((e: unknown) => this.logger.error(String(e))),
    });
    this.scheduler.addCronJob('milestone-sweep', job);
    job.start();
  }

  async run(today: string = londonDate(this.clock.now())): Promise<SweepResult> {
    const result = await this.dataSource.transaction(async (tx) => {
      const [{ locked }] = await tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SWEEP_LOCK_KEY]);
      if (!locked) return { today, skipped: true, casesChecked: 0, alertsRaised: 0, notificationsSent: 0 };
      let casesChecked = 0;
      const candidates: Candidate[] = [];
      for await (const batch of this.milestones.openCases()) {
        casesChecked += batch.length;
        for (const entry of batch) {
          for (const milestone of this.milestones.compute(entry, today)) {
            if ((milestone.status === 'due_soon' || milestone.status === 'overdue') && milestone.dueOn) {
              candidates.push({ entry, milestone: milestone as Candidate['milestone'] });
            }
          }
        }
      }
      const raised = await this.raiseAlerts(tx, candidates, today);
      const notificationsSent = await this.notify(tx, raised);
      await this.audit.record(tx, {
        action: 'milestones.swept',
        actor: null,
        details: { today, casesChecked, alertsRaised: raised.length, notificationsSent },
      });
      return { today, skipped: false, casesChecked, alertsRaised: raised.length, notificationsSent };
    });
    this.logger.log(result, 'milestone sweep finished');
    return result;
  }

  /** Inserts the alerts not raised before; returns those that are new. */
  private async raiseAlerts(tx: EntityManager, candidates: Candidate[], today: string): Promise<(Candidate & { alertId: string })[]> {
    if (candidates.length === 0) return [];
    const rows: { id: string; case_id: string; milestone_key: string; state: string }[] = await tx.query(
      `INSERT INTO milestone_alert (case_id, milestone_key, state, due_on, raised_on)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::date[])
       ON CONFLICT ON CONSTRAINT milestone_alert_once DO NOTHING
       RETURNING id, case_id, milestone_key, state`,
      [
        candidates.map((c) => c.entry.id),
        candidates.map((c) => c.milestone.key),
        candidates.map((c) => c.milestone.status),
        candidates.map((c) => c.milestone.dueOn),
        candidates.map(() => today),
      ],
    );
    const byKey = new Map(candidates.map((c) => [`${c.entry.id}|${c.milestone.key}|${c.milestone.status}`, c]));
    return rows.map((r) => ({ ...byKey.get(`${r.case_id}|${r.milestone_key}|${r.state}`)!, alertId: r.id }));
  }

  /** The case's CSP chair, every active SDP admin and the assigned review chair each get one notification. */
  private async notify(tx: EntityManager, alerts: (Candidate & { alertId: string })[]): Promise<number> {
    if (alerts.length === 0) return 0;
    const recipients: { case_id: string; user_id: string; email: string }[] = await tx.query(
      `SELECT c.id AS case_id, u.id AS user_id, u.email
         FROM review_case c
         JOIN app_user u ON u.active AND (u.role = 'sdp_admin'
                                          OR (u.role = 'csp_chair' AND u.partnership_id = c.partnership_id)
                                          OR (u.role = 'review_chair' AND u.id = c.review_chair_id))
        WHERE c.id = ANY($1::uuid[])`,
      [[...new Set(alerts.map((a) => a.entry.id))]],
    );
    const byCase = new Map<string, { user_id: string; email: string }[]>();
    for (const r of recipients) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
    const messages = alerts.flatMap((alert) =>
      (byCase.get(alert.entry.id) ?? []).map((to) => ({ alert, to, wording: alertWording(alert) })),
    );
    if (messages.length === 0) return 0;
    const created: { id: string; user_id: string; alert_id: string }[] = await tx.query(
      `INSERT INTO notification (user_id, case_id, alert_id, kind, title, body, created_at)
       SELECT u, c, a, k, t, b, $7 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS x(u, c, a, k, t, b)
       RETURNING id, user_id, alert_id`,
      [
        messages.map((m) => m.to.user_id),
        messages.map((m) => m.alert.entry.id),
        messages.map((m) => m.alert.alertId),
        messages.map((m) => m.wording.kind),
        messages.map((m) => m.wording.title),
        messages.map((m) => m.wording.body),
        this.clock.now(),
      ],
    );
    if (this.mail.enabled) await this.queueEmails(tx, created, messages);
    return created.length;
  }

  private async queueEmails(
    tx: EntityManager,
    created: { id: string; user_id: string; alert_id: string }[],
    messages: { alert: { alertId: string }; to: { user_id: string; email: string }; wording: { title: string; body: string } }[],
  ): Promise<void> {
    const byPair = new Map(messages.map((m) => [`${m.alert.alertId}|${m.to.user_id}`, m]));
    const rows = created.map((n) => ({ notification: n.id, message: byPair.get(`${n.alert_id}|${n.user_id}`)! }));
    await tx.query(
      `INSERT INTO email_outbox (notification_id, to_address, subject, body, next_attempt_at)
       SELECT n, t, s, b, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(n, t, s, b)`,
      [
        rows.map((r) => r.notification),
        rows.map((r) => r.message.to.email),
        rows.map((r) => `[DHR] ${r.message.wording.title}`),
        rows.map((r) => `${r.message.wording.body}\n\nSign in to the DHR case-management service to see the case.`),
        this.clock.now(),
      ],
    );
  }
}
