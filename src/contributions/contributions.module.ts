import { Module } from '@nestjs/common';
import { ContributionsController } from './contributions.controller.js';
import { ContributionsService } from './contributions.service.js';
import { contributionsFeature } from './contributions.manifest.js';

// Chronologies and documents answer requests through ContributionsService.markSubmitted.
@Module({ controllers: [ContributionsController], providers: [ContributionsService, ...(contributionsFeature.plugins ?? [])], exports: [ContributionsService] })
export class ContributionsModule {}
