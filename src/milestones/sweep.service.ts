import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NotificationsService, type Notice } from '../notifications/notifications.service.js';
import type { Milestone } from './engine.js';
import { insertAlerts, trySweepLock, type CaseForMilestones } from './milestones.queries.js';
import { MilestoneStateService } from './milestone-state.service.js';
import { MilestonesService } from './milestones.service.js';

/** Any fixed number: every instance takes the same lock, so only one sweeps at a time. */
const SWEEP_LOCK_KEY = 720_4201_2012;

/** The states a milestone is alerted in, once each (milestone_alert.state). */
export const ALERT_STATES = ['due_soon', 'overdue'] as const;
type AlertState = (typeof ALERT_STATES)[number];

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

function alertWording({ milestone }: Candidate): Pick<Notice, 'kind' | 'words'> {
  const when = milestone.status === 'due_soon' ? `is due on ${milestone.dueOn}` : `was due on ${milestone.dueOn} and is overdue`;
  return {
    kind: `milestone_${milestone.status}`,
    words: (who) => ({
      title: `${who}: ${milestone.title} ${when}`,
      body: [
        `Case: ${who}`,
        `Milestone: ${milestone.title}`,
        `Due: ${milestone.dueOn}${milestone.daysOnHold > 0 ? ` (${milestone.daysOnHold} days on hold; adjusted ${milestone.adjustedDueOn})` : ''}`,
        `Basis: ${milestone.basis}`,
      ].join('\n'),
    }),
  };
}

/**
 * The daily sweep (docs/domain.md, "The daily sweep and notifications"): computes every open
 * case's milestones and tells the case's people when one enters due_soon
 * and when it becomes overdue, once per milestone and state. An advisory lock lets one instance sweep at a
 * time; the unique constraint on milestone_alert makes a repeat harmless.
 */
@Injectable()
export class SweepService implements OnApplicationBootstrap {
  private readonly logger = new Logger('MilestoneSweep');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly milestones: MilestonesService,
    private readonly state: MilestoneStateService,
    private readonly notifications: NotificationsService,
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
      if (!(await trySweepLock(tx, SWEEP_LOCK_KEY))) return { today, skipped: true, casesChecked: 0, alertsRaised: 0, notificationsSent: 0 };
      let casesChecked = 0;
      const candidates: Candidate[] = [];
      for await (const batch of this.milestones.openCases()) {
        casesChecked += batch.length;
        // Open holds move adjusted dates every day: the stored state of every open case is refreshed here.
        for (const { entry, milestones } of await this.state.store(tx, batch, today)) {
          for (const milestone of milestones) {
            if ((milestone.status === 'due_soon' || milestone.status === 'overdue') && milestone.dueOn) {
              candidates.push({ entry, milestone: milestone as Candidate['milestone'] });
            }
          }
        }
      }
      const raised = await this.raiseAlerts(tx, candidates, today);
      const notificationsSent = await this.notifications.raise(
        tx,
        raised.map((alert) => ({ caseId: alert.entry.id, alertId: alert.alertId, ...alertWording(alert) })),
      );
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
    const rows = await insertAlerts(
      tx,
      candidates.map((c) => ({ caseId: c.entry.id, key: c.milestone.key, state: c.milestone.status, dueOn: c.milestone.dueOn, raisedOn: today })),
    );
    const byKey = new Map(candidates.map((c) => [`${c.entry.id}|${c.milestone.key}|${c.milestone.status}`, c]));
    return rows.map((r) => ({ ...byKey.get(`${r.case_id}|${r.milestone_key}|${r.state}`)!, alertId: r.id }));
  }
}
