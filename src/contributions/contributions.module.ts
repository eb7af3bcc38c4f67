import { Module } from '@nestjs/common';
import { ContributionFacts, ContributionMilestones } from './contributions.plugins.js';
import { ContributionsController } from './contributions.controller.js';
import { ContributionsService } from './contributions.service.js';

// Chronologies and documents answer requests through ContributionsService.markSubmitted.
@Module({ controllers: [ContributionsController], providers: [ContributionsService, ContributionFacts, ContributionMilestones], exports: [ContributionsService] })
export class ContributionsModule {}
