import { Module } from '@nestjs/common';
import { ContributionFacts, ContributionMilestones } from './contributions.plugins.js';
import { ContributionsController } from './contributions.controller.js';
import { ContributionsService } from './contributions.service.js';

@Module({ controllers: [ContributionsController], providers: [ContributionsService, ContributionFacts, ContributionMilestones] })
export class ContributionsModule {}
