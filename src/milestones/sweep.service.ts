import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DigestService } from '../notifications/digest.service.js';
import { NotificationsService, type Notice } from '../notifications/notifications.service.js';
import type { MilestoneState } from './engine.js';
import { MilestoneSources } from './milestone-sources.js';
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
  milestone: MilestoneState & { status: AlertState; dueOn: string };
}

export interface SweepResult {
  today: string;
  skipped: boolean;
  casesChecked: number;
  alertsRaised: number;
  notificationsSent: number;
  /** Daily digests e-mailed after the sweep (none when mail is off, or today's were sent already). */
  digestsSent: number;
}

/**
 * The state a milestone is alerted in by a sweep as of `sweptOn`. A sweep
 * dated before the real today (`today`, the London date of the clock: a
 * back-dated run) computes a milestone due between the two as due soon; its
 * due date is past by now, so it is alerted as overdue, never as due soon.
 */
export function alertState(status: AlertState, dueOn: string, today: string): AlertState {
  return status === 'due_soon' && dueOn < today ? 'overdue' : status;
}

function alertWording({ milestone }: Candidate): Pick<Notice, 'kind' | 'words' | 'urgent'> {
  const when = milestone.status === 'due_soon' ? `is due on ${milestone.dueOn}` : `was due on ${milestone.dueOn} and is overdue`;
  return {
    kind: `milestone_${milestone.status}`,
    // An overdue milestone is e-mailed at once, even to someone on the daily digest.
    urgent: milestone.status === 'overdue',
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
    private readonly digests: DigestService,
    private readonly sources: MilestoneSources,
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

  /**
   * Sweeps as of `sweptOn` (by default the real today, the London date of
   * the clock), then sends the day's digests unless another instance is
   * sweeping.
   */
  async run(sweptOn: string = londonDate(this.clock.now())): Promise<SweepResult> {
    const today = londonDate(this.clock.now());
    const result = await this.dataSource.transaction(async (tx) => {
      const none = { today: sweptOn, skipped: true, casesChecked: 0, alertsRaised: 0, notificationsSent: 0, digestsSent: 0 };
      if (!(await trySweepLock(tx, SWEEP_LOCK_KEY))) return none;
      let casesChecked = 0;
      const candidates: Candidate[] = [];
      for await (const batch of this.milestones.openCases()) {
        casesChecked += batch.length;
        // Open holds move adjusted dates every day: the stored state of every open case is refreshed here.
        for (const { entry, milestones } of await this.state.store(tx, batch, sweptOn)) {
          for (const milestone of milestones) {
            if ((milestone.status === 'due_soon' || milestone.status === 'overdue') && milestone.dueOn) {
              const status = alertState(milestone.status, milestone.dueOn, today);
              candidates.push({ entry, milestone: { ...milestone, status, dueOn: milestone.dueOn } });
            }
          }
        }
      }
      const raised = await this.raiseAlerts(tx, candidates, sweptOn);
      const notices = raised.map((alert) => ({ caseId: alert.entry.id, alertId: alert.alertId, ...alertWording(alert) }));
      let notificationsSent = await this.notifications.raise(tx, notices);
      notificationsSent += await this.tellOwningAgencies(tx, raised);
      await this.audit.record(tx, {
        action: 'milestones.swept',
        actor: null,
        details: { today: sweptOn, casesChecked, alertsRaised: raised.length, notificationsSent },
      });
      return { today: sweptOn, skipped: false, casesChecked, alertsRaised: raised.length, notificationsSent, digestsSent: 0 };
    });
    // The digest goes out after the sweep has committed, so that it lists what the sweep raised.
    if (!result.skipped) result.digestsSent = (await this.digests.run()).digestsSent;
    this.logger.log(result, 'milestone sweep finished');
    return result;
  }

  /**
   * Tells the active leads of the owning agency of each milestone that has
   * just become overdue and whose source asks it (an action): once per
   * milestone and state, as the alert itself is raised once.
   */
  private async tellOwningAgencies(tx: EntityManager, raised: (Candidate & { alertId: string })[]): Promise<number> {
    let told = 0;
    for (const alert of raised) {
      const { milestone } = alert;
      if (milestone.status !== 'overdue' || !milestone.agencyId || !this.sources.overdueTellsAgency(milestone.key)) continue;
      told += await this.notifications.raiseToAgency(tx, milestone.agencyId, { caseId: alert.entry.id, alertId: alert.alertId, ...alertWording(alert) });
    }
    return told;
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
