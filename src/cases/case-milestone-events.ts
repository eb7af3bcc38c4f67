import { Injectable } from '@nestjs/common';
import { ProvidesMilestones, type MilestoneSource } from '../milestones/milestone-sources.js';
import { CASE_EVENTS } from './cases.queries.js';

/** The milestone events the case record itself keeps: notification, decision, commissioning, completion… */
@Injectable()
@ProvidesMilestones()
export class CaseMilestoneEvents implements MilestoneSource {
  readonly events = CASE_EVENTS;
}
